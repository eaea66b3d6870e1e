namespace Flow;

/// <summary>Blocking waits on an event that either of two tokens can interrupt.</summary>
internal static class BlockingWait
{
    private static readonly Action<object?> s_set = static state => ((ManualResetEventSlim)state!).Set();

    /// <summary>
    /// Waits until <paramref name="signal"/> is set. Returns false when
    /// <paramref name="cancellationToken"/> or <paramref name="kill"/> fired first.
    /// </summary>
    public static bool Wait(ManualResetEventSlim signal, CancellationToken cancellationToken, CancellationToken kill)
    {
        if (!cancellationToken.CanBeCanceled && !kill.CanBeCanceled)
        {
            signal.Wait();
            return true;
        }

        using CancellationTokenRegistration onCancel = cancellationToken.UnsafeRegister(s_set, signal);
        using CancellationTokenRegistration onKill = kill.UnsafeRegister(s_set, signal);
        signal.Wait();
        return !(cancellationToken.IsCancellationRequested || kill.IsCancellationRequested);
    }
}
