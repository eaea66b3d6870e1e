namespace Flow;

/// <summary>Why a Flow task failed: which task, and the exception it threw.</summary>
public sealed class TaskFailure
{
    internal TaskFailure(TaskId taskId, string? taskName, Exception exception)
    {
        TaskId = taskId;
        TaskName = taskName;
        Exception = exception;
    }

    /// <summary>The task that failed.</summary>
    public TaskId TaskId { get; }

    /// <summary>The task's name, or null when it had none.</summary>
    public string? TaskName { get; }

    /// <summary>The exact exception the task threw (a <see cref="TaskKilledException"/> when it was killed).</summary>
    public Exception Exception { get; }

    /// <summary>The exception's message.</summary>
    public string Reason => Exception.Message;

    /// <summary>True when the task was killed rather than failing on its own.</summary>
    public bool IsKill => Exception is TaskKilledException;

    /// <inheritdoc />
    public override string ToString() => $"{TaskName ?? TaskId.ToString()} {(IsKill ? "was killed" : "failed")}: {Exception.GetType().Name}: {Reason}";
}
