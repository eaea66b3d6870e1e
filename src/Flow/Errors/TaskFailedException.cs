namespace Flow;

/// <summary>
/// A Flow task failed, and its result was asked for (<c>await handle</c>, <see cref="Result{T}.Value"/>,
/// <see cref="Result{T}.Unwrap"/>, a scope's join).
/// </summary>
/// <remarks><see cref="Exception.InnerException"/> is the exception the task threw.</remarks>
public class TaskFailedException : FlowException
{
    /// <summary>Creates the exception with a default message.</summary>
    public TaskFailedException()
        : base("A Flow task failed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public TaskFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the task's exception.</summary>
    public TaskFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="failure"/>.</summary>
    /// <param name="failure">What failed and why.</param>
    public TaskFailedException(TaskFailure failure)
        : base(MessageFor(failure), failure?.Exception)
    {
        Failure = failure;
    }

    /// <summary>What failed and why; null only when created without one.</summary>
    public TaskFailure? Failure { get; }

    private static string MessageFor(TaskFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return $"Task {failure.TaskName ?? failure.TaskId.ToString()} {(failure.IsKill ? "was killed" : "failed")}: {failure.Reason} Use Try/Join to get a Result instead of an exception.";
    }
}
