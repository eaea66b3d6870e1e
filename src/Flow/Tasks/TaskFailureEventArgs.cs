namespace Flow;

/// <summary>The argument of <see cref="Tasks.UnobservedFailure"/>.</summary>
public sealed class TaskFailureEventArgs : EventArgs
{
    internal TaskFailureEventArgs(TaskFailure failure) => Failure = failure;

    /// <summary>The failure nobody observed.</summary>
    public TaskFailure Failure { get; }
}
