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
    private static readonly AsyncLocal<JoinHandle?> s_current = new();

    /// <summary>The Flow task running on this flow of execution, or null.</summary>
    public static JoinHandle? CurrentTask
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>The kill token of the running Flow task, or <see cref="CancellationToken.None"/>.</summary>
    public static CancellationToken KillToken => s_current.Value?.KillToken ?? default;

    /// <summary>Throws what a killed task sees when <paramref name="kill"/> has fired.</summary>
    public static void ThrowIfKilled(CancellationToken kill)
    {
        if (kill.IsCancellationRequested)
        {
            throw new TaskKilledException();
        }
    }

    /// <summary>
    /// The exception for a wait that ended because a token fired: the task's kill wins over the
    /// caller's own cancellation, so a killed task always sees <see cref="TaskKilledException"/>.
    /// </summary>
    public static Exception Cancelled(CancellationToken cancellation, CancellationToken kill) =>
        kill.IsCancellationRequested ? new TaskKilledException() : new OperationCanceledException(cancellation);
}
