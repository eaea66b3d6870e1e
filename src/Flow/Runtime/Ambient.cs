namespace Flow;

/// <summary>
/// What a waiting Flow operation learns from the task it runs in: the ambient kill token.
/// </summary>
/// <remarks>
/// Read only on paths that are about to wait, so the message fast paths pay nothing for it.
/// </remarks>
internal static class Ambient
{
    private static readonly AsyncLocal<TaskKillSignal?> s_signal = new();

    /// <summary>The kill token of the running Flow task, or <see cref="CancellationToken.None"/>.</summary>
    public static CancellationToken KillToken => s_signal.Value?.Token ?? default;

    /// <summary>Installs <paramref name="signal"/> as the ambient kill signal of the current flow.</summary>
    internal static void Enter(TaskKillSignal? signal) => s_signal.Value = signal;

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

/// <summary>The kill switch of one Flow task; its token is what <see cref="Ambient.KillToken"/> returns inside it.</summary>
internal sealed class TaskKillSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();

    public CancellationToken Token => _source.Token;

    public void Kill() => _source.Cancel();

    public void Dispose() => _source.Dispose();
}
