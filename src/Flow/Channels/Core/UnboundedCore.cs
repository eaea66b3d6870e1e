using System.Collections.Concurrent;

namespace Flow;

/// <summary>
/// An unbounded channel: a lock-free queue, one fenced enqueue per send and no lock on either side.
/// </summary>
/// <remarks>
/// The queue is created by the first send, so a port that only waits costs a few words. The
/// queue's enqueue reserves its slot with a full fence before the sender looks for a parked
/// receiver, and <see cref="ConcurrentQueue{T}.IsEmpty"/> sees a reserved slot, so the parking
/// protocol of <see cref="ChanCore{T}"/> needs no extra fence here.
/// </remarks>
internal sealed class UnboundedCore<T> : ChanCore<T>
{
    /// <summary>The messages; null until the first send.</summary>
    private ConcurrentQueue<T>? _queue;

    public override int Capacity => -1;

    public override int Count => Volatile.Read(ref _queue)?.Count ?? 0;

    protected override bool TryTake([MaybeNullWhen(false)] out T item)
    {
        ConcurrentQueue<T>? queue = _queue;
        if (queue is null)
        {
            item = default;
            return false;
        }

        return queue.TryDequeue(out item);
    }

    protected override bool HasMessages() => Volatile.Read(ref _queue) is { IsEmpty: false };

    public override SendStatus TrySend(T item)
    {
        if (IsWritingDone)
        {
            return SendStatus.Closed;
        }

        if (IsReceiverGone)
        {
            return SendStatus.PortGone;
        }

        // A receive parked on an empty queue takes the message from our hands: one hop, no queue
        // traffic. (Ping-pong is all parked receives.)
        AsyncReceiver<T>? receiver = TryClaimTakingReceiver();
        if (receiver is not null && !HasMessages())
        {
            receiver.HandOff(item);
            return SendStatus.Sent;
        }

        (_queue ?? CreateQueue()).Enqueue(item);

        // The port may have been disposed between our check and the enqueue. The dispose drains
        // after marking; we drain after enqueueing; the fences order the two, so one of us sees
        // the message, and the queue hands each message to one drainer only.
        if (IsReceiverGone)
        {
            DisposeBuffered();
        }

        // A receiver claimed above but not handed the message (the queue was not empty) is ours
        // to wake; otherwise wake whoever parked meanwhile.
        if (receiver is not null)
        {
            receiver.Notify();
        }
        else
        {
            WakeReceiver();
        }

        return SendStatus.Sent;
    }

    public override void Send(T item, SendWaiter<T> waiter, CancellationToken cancellationToken) => ThrowIfNotSent(TrySend(item));

    public override ValueTask SendAsync(T item, SendWaiter<T> waiter, CancellationToken cancellationToken)
    {
        SendStatus status = TrySend(item);
        return status == SendStatus.Sent ? default : ValueTask.FromException(NotSentException(status));
    }

    protected override void OnReceiverGone() => DisposeBuffered();

    private ConcurrentQueue<T> CreateQueue()
    {
        var queue = new ConcurrentQueue<T>();
        return Interlocked.CompareExchange(ref _queue, queue, null) ?? queue;
    }
}
