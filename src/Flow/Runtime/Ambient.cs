namespace Flow;

/// <summary>
/// What a Flow operation learns from the task it runs in: the task itself and its kill token.
/// </summary>
/// <remarks>
/// Read only on paths that are about to wait (and by <see cref="Tasks.Current"/>), so the message
/// fast paths pay nothing for it. The current task flows with the execution context, so it stays
/// current across the awaits of an async body.
/// </remarks>
internal static class Ambient
{
    /// <summary>The task of an async body: flows across its awaits with the execution context.</summary>
    private static readonly AsyncLocal<JoinHandle?> s_current = new();

    /// <summary>The task of a sync body running on this thread; cheaper than the async local, which it takes precedence over.</summary>
    [ThreadStatic]
    private static JoinHandle? t_current;

    /// <summary>The Flow task running on this flow of execution, or null.</summary>
    public static JoinHandle? CurrentTask => t_current ?? s_current.Value;

    /// <summary>The kill token of the running Flow task, or <see cref="CancellationToken.None"/>.</summary>
    public static CancellationToken KillToken => CurrentTask?.KillToken ?? default;

    /// <summary>Makes <paramref name="task"/> current for a sync body on this thread; returns what to restore.</summary>
    public static JoinHandle? EnterSync(JoinHandle? task)
    {
        JoinHandle? previous = t_current;
        t_current = task;
        return previous;
    }

    /// <summary>Makes <paramref name="task"/> current for an async body, across its awaits.</summary>
    public static void EnterAsync(JoinHandle? task) => s_current.Value = task;

    /// <summary>True when <paramref name="task"/> is a Flow task that was killed.</summary>
    public static bool IsKilled(JoinHandle? task) => task is not null && task.IsKillRequested;

    /// <summary>Throws what a killed task sees, when <paramref name="task"/> was killed.</summary>
    public static void ThrowIfKilled(JoinHandle? task)
    {
        if (IsKilled(task))
        {
            throw new TaskKilledException();
        }
    }

    /// <summary>True when the caller's token fired or its task was killed.</summary>
    public static bool IsStopped(JoinHandle? task, CancellationToken cancellation) => cancellation.IsCancellationRequested || IsKilled(task);

    /// <summary>Throws when the task was killed (first) or the caller's token fired.</summary>
    public static void ThrowIfStopped(JoinHandle? task, CancellationToken cancellation)
    {
        ThrowIfKilled(task);
        cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// The exception for a wait that ended because it was stopped: the task's kill wins over the
    /// caller's own cancellation, so a killed task always sees <see cref="TaskKilledException"/>.
    /// </summary>
    public static Exception Cancelled(JoinHandle? task, CancellationToken cancellation) =>
        IsKilled(task) ? new TaskKilledException() : new OperationCanceledException(cancellation);
}
