namespace Flow;

/// <summary>Blocking waits on an event that either of two tokens can interrupt.</summary>
internal static class BlockingWait
{
    private static readonly Action<object?> s_set = static state => ((ManualResetEventSlim)state!).Set();

    /// <summary>
    /// Waits until <paramref name="signal"/> is set. Returns false when
    /// <paramref name="cancellationToken"/> fired or <paramref name="task"/> was killed first;
    /// <paramref name="wait"/>'s <see cref="IKillable.OnKilled"/> must set <paramref name="signal"/>.
    /// </summary>
    public static bool Wait(ManualResetEventSlim signal, JoinHandle? task, IKillable wait, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled && task is null)
        {
            signal.Wait(CancellationToken.None);
            return true;
        }

        // The token and the kill only set the event; the caller decides what a stop means.
        using KillWatch onKill = KillWatch.Start(task, wait);
        using CancellationTokenRegistration onCancel = cancellationToken.UnsafeRegister(s_set, signal);
        signal.Wait(CancellationToken.None);
        return !Ambient.IsStopped(task, cancellationToken);
    }
}
