using System.Diagnostics;

namespace Flow;

/// <summary>
/// A bounded channel, or a rendezvous one when the capacity is 0: a ring of at most
/// <see cref="Capacity"/> messages and a FIFO of blocked senders, both guarded by one lock.
/// </summary>
/// <remarks>
/// <para>
/// When a receiver frees a slot it moves the first blocked sender's message into the ring in the
/// same critical section, so the ring never holds more than the capacity and senders are served in
/// the order they blocked. In a rendezvous the receiver takes the blocked sender's message directly;
/// the ring's one slot only holds a message handed to a receiver that is already parked.
/// </para>
/// <para>
/// Senders and receivers are signalled after the lock is released, so no continuation or wakeup
/// runs under it. The ring grows on demand up to the capacity, so a large capacity costs nothing
/// until it is used.
/// </para>
/// </remarks>
internal sealed class BoundedCore<T> : ChanCore<T>
{
    private readonly Lock _lock = new();

    /// <summary>The most messages the ring may hold; 0 for a rendezvous.</summary>
    private readonly int _capacity;

    /// <summary>The ring; guarded by <see cref="_lock"/>. Length is at least 1 and at most max(capacity, 1).</summary>
    private T[] _ring;

    /// <summary>Index of the oldest message in <see cref="_ring"/>; guarded by <see cref="_lock"/>.</summary>
    private int _head;

    /// <summary>Messages in <see cref="_ring"/>; written under <see cref="_lock"/>, read without it for <see cref="Count"/>.</summary>
    private int _count;

    /// <summary>The FIFO of blocked senders, oldest first; guarded by <see cref="_lock"/>.</summary>
    private SendWaiter<T>? _blockedHead;

    /// <summary>The newest blocked sender; guarded by <see cref="_lock"/>.</summary>
    private SendWaiter<T>? _blockedTail;

    public BoundedCore(int capacity)
    {
        Debug.Assert(capacity >= 0, "Capacity is checked by the factory.");
        _capacity = capacity;
        _ring = new T[Math.Clamp(capacity, 1, 16)];
    }

    public override int Capacity => _capacity;

    public override int Count => Volatile.Read(ref _count);

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "Invariants are checked under the lock.");
        Debug.Assert(_count >= 0 && _count <= Math.Max(_capacity, 1), "The ring never holds more than the capacity (one handed-over message in a rendezvous).");
        Debug.Assert(_blockedHead is null || _capacity == 0 || _count == _capacity, "Senders block only while the ring is full.");
        Debug.Assert((_blockedHead is null) == (_blockedTail is null), "Head and tail of the blocked FIFO agree.");
    }

    protected override bool TryTake([MaybeNullWhen(false)] out T item)
    {
        SendWaiter<T>? released;
        lock (_lock)
        {
            AssertInvariants();
            if (_count > 0)
            {
                item = RingTake();

                // A slot is free: the oldest blocked sender's message takes it, so order is kept.
                // Not in a rendezvous: its slot only ever holds a message handed to a parked
                // receiver, and this is that message. Blocked senders wait for the next receive,
                // which takes from them directly; moving one into the slot would complete its send
                // while nobody receives it.
                released = _capacity > 0 ? _blockedHead : null;
                if (released is not null)
                {
                    Unlink(released);
                    RingAdd(released.Item);
                    Accept(released);
                }
            }
            else if (_blockedHead is { } sender)
            {
                // A rendezvous: take the message straight from the sender's hands.
                Unlink(sender);
                item = sender.Item;
                Accept(sender);
                released = sender;
            }
            else
            {
                item = default;
                return false;
            }
        }

        // Signalled outside the lock, so no sender continuation runs under it.
        released?.Signal();
        return true;
    }

    protected override bool HasMessages()
    {
        // Under the lock: the lock orders this look after any sender's critical section that
        // finished before it, which the parking protocol relies on.
        lock (_lock)
        {
            return _count > 0 || _blockedHead is not null;
        }
    }

    public override SendStatus TrySend(T item)
    {
        SendStatus status;
        lock (_lock)
        {
            AssertInvariants();
            status = TryAddLocked(item);
        }

        if (status == SendStatus.Sent)
        {
            WakeReceiver();
        }

        return status;
    }

    public override void Send(T item, SendWaiter<T> waiter, CancellationToken cancellationToken)
    {
        SendStatus status = TrySend(item);
        if (status == SendStatus.Sent)
        {
            return;
        }

        if (status != SendStatus.Full)
        {
            throw NotSentException(status);
        }

        JoinHandle? task = Ambient.CurrentTask;
        waiter.Enter();
        try
        {
            Ambient.ThrowIfStopped(task, cancellationToken);
            waiter.PrepareSync(this, item);
            status = Offer(waiter);
            WakeReceiver();
            if (status != SendStatus.Full)
            {
                ThrowIfNotSent(status);
                return;
            }

            if (!waiter.WaitSync(task, cancellationToken))
            {
                if (TryCancel(waiter))
                {
                    throw Ambient.Cancelled(task, cancellationToken);
                }

                // A receiver or a dispose decided the offer before the token did, and signals
                // after leaving the lock. Wait for that signal: left pending, it would wake this
                // handle's next blocked send before that send was decided.
                waiter.AwaitSignal();
            }

            // The outcome was decided under the lock before the signal (or before TryCancel saw it).
            if (waiter.Outcome == SendOutcome.Refused)
            {
                throw ChannelClosedException.PortGone();
            }
        }
        finally
        {
            waiter.Core = null;
            waiter.Exit();
        }
    }

    public override ValueTask SendAsync(T item, SendWaiter<T> waiter, CancellationToken cancellationToken)
    {
        SendStatus status = TrySend(item);
        if (status == SendStatus.Sent)
        {
            return default;
        }

        if (status != SendStatus.Full)
        {
            return ValueTask.FromException(NotSentException(status));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        JoinHandle? task = Ambient.CurrentTask;
        if (Ambient.IsKilled(task))
        {
            return ValueTask.FromException(new TaskKilledException());
        }

        waiter.Enter();
        waiter.PrepareAsync(this, item, task, cancellationToken);
        status = Offer(waiter);
        WakeReceiver();
        if (status != SendStatus.Full)
        {
            waiter.ReleaseImmediate();
            return status == SendStatus.Sent ? default : ValueTask.FromException(NotSentException(status));
        }

        // A token that fired before the waiter was queued found nothing to cancel; look again.
        waiter.CancelIfRequested();
        return waiter.AsValueTask();
    }

    /// <summary>Adds the waiter's message if there is room now, or queues the waiter. <see cref="SendStatus.Full"/> means queued.</summary>
    private SendStatus Offer(SendWaiter<T> waiter)
    {
        lock (_lock)
        {
            AssertInvariants();
            SendStatus status = TryAddLocked(waiter.Item);
            if (status == SendStatus.Full)
            {
                Link(waiter);
            }
            else
            {
                waiter.Item = default!;
            }

            return status;
        }
    }

    /// <summary>Cancels a queued offer that is still waiting. False when a receiver or a dispose decided it first.</summary>
    public bool TryCancel(SendWaiter<T> waiter)
    {
        lock (_lock)
        {
            if (!waiter.Queued || waiter.Outcome != SendOutcome.Waiting)
            {
                return false;
            }

            Unlink(waiter);
            waiter.Outcome = SendOutcome.Cancelled;
            waiter.Item = default!;
            return true;
        }
    }

    protected override void OnReceiverGone()
    {
        T[] buffered;
        SendWaiter<T>? refused;
        lock (_lock)
        {
            buffered = new T[_count];
            for (int i = 0; i < buffered.Length; i++)
            {
                buffered[i] = RingTake();
            }

            refused = _blockedHead;
            for (SendWaiter<T>? sender = refused; sender is not null; sender = sender.Next)
            {
                sender.Outcome = SendOutcome.Refused;
                sender.Queued = false;
                sender.Item = default!;
            }

            _blockedHead = _blockedTail = null;
        }

        foreach (T item in buffered)
        {
            DisposeMessage(item);
        }

        while (refused is not null)
        {
            SendWaiter<T>? next = refused.Next;
            refused.Next = refused.Previous = null;
            refused.Signal();
            refused = next;
        }
    }

    private SendStatus TryAddLocked(T item)
    {
        if (IsReceiverGone)
        {
            return SendStatus.PortGone;
        }

        if (IsWritingDone)
        {
            return SendStatus.Closed;
        }

        if (_count < _capacity
            || (_capacity == 0 && _count == 0 && _blockedHead is null && HasCommittedReceiver))
        {
            RingAdd(item);
            return SendStatus.Sent;
        }

        return SendStatus.Full;
    }

    private static void Accept(SendWaiter<T> sender)
    {
        sender.Outcome = SendOutcome.Accepted;
        sender.Item = default!;
    }

    private void Link(SendWaiter<T> waiter)
    {
        waiter.Queued = true;
        waiter.Next = null;
        waiter.Previous = _blockedTail;
        if (_blockedTail is null)
        {
            _blockedHead = waiter;
        }
        else
        {
            _blockedTail.Next = waiter;
        }

        _blockedTail = waiter;
    }

    private void Unlink(SendWaiter<T> waiter)
    {
        if (waiter.Previous is null)
        {
            _blockedHead = waiter.Next;
        }
        else
        {
            waiter.Previous.Next = waiter.Next;
        }

        if (waiter.Next is null)
        {
            _blockedTail = waiter.Previous;
        }
        else
        {
            waiter.Next.Previous = waiter.Previous;
        }

        waiter.Next = waiter.Previous = null;
        waiter.Queued = false;
    }

    private void RingAdd(T item)
    {
        if (_count == _ring.Length)
        {
            Grow();
        }

        int index = _head + _count;
        if (index >= _ring.Length)
        {
            index -= _ring.Length;
        }

        _ring[index] = item;
        Volatile.Write(ref _count, _count + 1);
    }

    private T RingTake()
    {
        T item = _ring[_head];
        _ring[_head] = default!;
        if (++_head == _ring.Length)
        {
            _head = 0;
        }

        Volatile.Write(ref _count, _count - 1);
        return item;
    }

    private void Grow()
    {
        int size = (int)Math.Min((long)_ring.Length * 2, Math.Max(_capacity, 1));
        Debug.Assert(size > _ring.Length, "The ring grows only while below the capacity.");
        var ring = new T[size];
        for (int i = 0; i < _count; i++)
        {
            int from = _head + i;
            ring[i] = _ring[from >= _ring.Length ? from - _ring.Length : from];
        }

        _ring = ring;
        _head = 0;
    }
}
