namespace Flow;

/// <summary>
/// The live handles of one shared channel. The channel's sending side ends when the count reaches
/// zero, so the port sees the end only after every clone was closed.
/// </summary>
/// <remarks>
/// The count starts at 1 and never rises again once it reached 0 (<see cref="TryAdd"/> refuses),
/// so the end is signalled exactly once. The first failure reported by any clone is what the port
/// sees at the end; the other clones' messages are still all delivered before it.
/// </remarks>
internal sealed class SenderCount<T>(ChanCore<T> core)
{
    private int _count = 1;
    private Exception? _firstFailure;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds a handle; false when the channel's sending side already ended.</summary>
    public bool TryAdd() => RefCount.TryAddIfLive(ref _count, "clones of one SharedChan<T>");

    /// <summary>Removes a handle that ended, with its failure if it failed.</summary>
    public void Release(Exception? failure)
    {
        if (failure is not null)
        {
            Interlocked.CompareExchange(ref _firstFailure, failure, null);
        }

        // The decrement publishes the failure above to whoever takes the count to zero.
        if (Interlocked.Decrement(ref _count) == 0)
        {
            core.CompleteWriting(Volatile.Read(ref _firstFailure));
        }
    }
}
