using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Flow;

/// <summary>
/// The state one port and its chan (or shared chan clones) have in common: the buffered messages,
/// the end of the stream, and the one receiver that may be parked on it.
/// </summary>
/// <remarks>
/// <para>
/// Subclasses own the buffer (<see cref="UnboundedCore{T}"/>: lock-free; <see cref="BoundedCore{T}"/>:
/// a lock and a FIFO of blocked senders). This class owns the receive side, which is the same for
/// both: a fast <see cref="TryRecv"/> that never waits, and slow paths that park a reusable waiter
/// in <see cref="_waiter"/>.
/// </para>
/// <para>
/// The parking protocol closes the lost-wakeup race without a lock on the send path. A receiver
/// first publishes itself with a full fence (<see cref="TryRegister"/>), then looks again. A sender
/// first makes its message visible (a fenced enqueue, or a lock release), then looks for a waiter
/// (<see cref="WakeReceiver"/>). Whichever comes second sees the other: either the receiver finds
/// the message, or the sender finds the receiver. Taking the waiter out of the slot with a CAS
/// decides who may notify it, so each registration is notified at most once.
/// </para>
/// </remarks>
internal abstract class ChanCore<T> : ISelectable
{
    /// <summary>Bit in <see cref="_ended"/>: the sending side is done; no message will be added.</summary>
    private const int WritingDone = 1;

    /// <summary>Bit in <see cref="_ended"/>: the port was disposed; nothing will be received.</summary>
    private const int ReceiverGone = 2;

    /// <summary>
    /// <see cref="WritingDone"/> and <see cref="ReceiverGone"/>, each set once and never cleared.
    /// <see cref="_failure"/> is written before <see cref="WritingDone"/> is set.
    /// </summary>
    private int _ended;

    /// <summary>Why the sender ended, if it failed; null for a clean close. Written once, before <see cref="WritingDone"/>.</summary>
    private Exception? _failure;

    /// <summary>The parked receiver, or null. Taken out (set to null) by whoever will notify it.</summary>
    private ReceiveWaiter? _waiter;

    /// <summary>1 while a receiver is inside a waiting operation; catches a second, concurrent receiver.</summary>
    private int _receiving;

    /// <summary>Backs <see cref="Completion"/>; created on first use.</summary>
    private TaskCompletionSource? _completion;

    /// <summary>The reusable waiter of <c>RecvAsync</c> and <c>WaitToRecvAsync</c>; created on first use.</summary>
    private AsyncReceiver<T>? _asyncReceiver;

    /// <summary>The reusable waiter of blocking receives; created on first use.</summary>
    private SyncReceiver? _syncReceiver;

    /// <summary>The Dataflow source adapter, once the port was used as a Dataflow source.</summary>
    private PortSource<T>? _source;

    /// <summary>The capacity given at creation; -1 when unbounded.</summary>
    public abstract int Capacity { get; }

    /// <summary>The number of messages buffered right now (a snapshot).</summary>
    public abstract int Count { get; }

    /// <summary>True once the sending side closed or failed.</summary>
    public bool IsWritingDone => (Volatile.Read(ref _ended) & WritingDone) != 0;

    /// <summary>True once the port was disposed.</summary>
    public bool IsReceiverGone => (Volatile.Read(ref _ended) & ReceiverGone) != 0;

    /// <summary>The sender's failure, once writing is done; null for a clean close.</summary>
    public Exception? Failure => IsWritingDone ? _failure : null;

    /// <summary>Completes when the channel is closed and drained, or the port is disposed.</summary>
    public Task Completion
    {
        get
        {
            TaskCompletionSource? tcs = Volatile.Read(ref _completion);
            if (tcs is null)
            {
                tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                tcs = Interlocked.CompareExchange(ref _completion, tcs, null) ?? tcs;
                CompleteIfDrained();
            }

            return tcs.Task;
        }
    }

    /// <summary>The Dataflow source adapter, created on first use.</summary>
    public PortSource<T> Source
    {
        get
        {
            PortSource<T>? source = Volatile.Read(ref _source);
            if (source is null)
            {
                source = new PortSource<T>(this);
                source = Interlocked.CompareExchange(ref _source, source, null) ?? source;
            }

            return source;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Buffer operations, supplied by the subclass.

    /// <summary>Takes the oldest message. Called by the one receiver (or by a drain after the port is gone).</summary>
    protected abstract bool TryTake([MaybeNullWhen(false)] out T item);

    /// <summary>
    /// True when a message is buffered (or, in a rendezvous, a sender is offering one). Must see
    /// every message whose send completed before the caller's last full fence or lock acquire.
    /// </summary>
    protected abstract bool HasMessages();

    /// <summary>Adds <paramref name="item"/> if there is room now; never waits.</summary>
    public abstract SendStatus TrySend(T item);

    /// <summary>Adds <paramref name="item"/>, blocking the calling thread while a bounded channel is full.</summary>
    public abstract void Send(T item, SendWaiter<T> waiter, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="item"/>, waiting asynchronously while a bounded channel is full.</summary>
    public abstract ValueTask SendAsync(T item, SendWaiter<T> waiter, CancellationToken cancellationToken);

    /// <summary>Called once when the port goes away: refuse blocked senders and dispose what is buffered.</summary>
    protected abstract void OnReceiverGone();

    // ---------------------------------------------------------------------------------------
    // Ending.

    /// <summary>Ends the sending side; the first ending wins. Returns false if it had already ended.</summary>
    public bool CompleteWriting(Exception? failure)
    {
        int ended = Volatile.Read(ref _ended);
        while ((ended & WritingDone) == 0)
        {
            // _failure is published by the CAS below; only the winner writes it, and only before the CAS.
            _failure = failure;
            int seen = Interlocked.CompareExchange(ref _ended, ended | WritingDone, ended);
            if (seen == ended)
            {
                WakeReceiver();
                CompleteIfDrained();
                _source?.OnCoreChanged();
                return true;
            }

            ended = seen;
        }

        return false;
    }

    /// <summary>Drops the receiving side: later sends fail, buffered messages are disposed, blocked senders are refused.</summary>
    public void DisposeReceiver()
    {
        if ((Interlocked.Or(ref _ended, ReceiverGone) & ReceiverGone) != 0)
        {
            return;
        }

        OnReceiverGone();
        _source?.DisposeHeld();
        Volatile.Read(ref _completion)?.TrySetResult();

        // A receiver parked on the port must learn that it is gone (ObjectDisposedException),
        // not wait for ever. The Or above fenced the mark before this look at the slot; a
        // receiver that registers later sees the mark when it looks again.
        WakeReceiver();
        _source?.OnCoreChanged();
    }

    /// <summary>Takes and disposes every buffered message. Safe to run on several threads at once: each message is taken once.</summary>
    protected void DisposeBuffered()
    {
        while (TryTake(out T? item))
        {
            DisposeMessage(item);
        }
    }

    /// <summary>Disposes a message Flow owns because nobody can receive it any more.</summary>
    protected static void DisposeMessage(T item)
    {
        if (item is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>Completes <see cref="Completion"/> once writing is done and nothing is left to receive.</summary>
    protected void CompleteIfDrained()
    {
        TaskCompletionSource? tcs = Volatile.Read(ref _completion);
        if (tcs is null || tcs.Task.IsCompleted)
        {
            return;
        }

        int ended = Volatile.Read(ref _ended);
        if ((ended & ReceiverGone) != 0)
        {
            tcs.TrySetResult();
        }
        else if ((ended & WritingDone) != 0 && !HasMessages() && _source?.HasHeld != true)
        {
            if (_failure is { } failure)
            {
                tcs.TrySetException(failure);
            }
            else
            {
                tcs.TrySetResult();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Receiving.

    /// <summary>Takes a message if one is there; never waits and never throws.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRecv([MaybeNullWhen(false)] out T item)
    {
        if (_source is { } source)
        {
            switch (source.TryTakeHeld(out T? held))
            {
                case HeldResult.Taken:
                    // The held message may have been the last one: the port may be drained now.
                    if (Volatile.Read(ref _ended) != 0)
                    {
                        CompleteIfDrained();
                    }

                    item = held!;
                    return true;
                case HeldResult.Blocked:
                    // Taking from the core would overtake the reserved message.
                    item = default;
                    return false;
            }
        }

        if (TryTake(out item))
        {
            if (Volatile.Read(ref _ended) != 0)
            {
                CompleteIfDrained();
            }

            return true;
        }

        if (Volatile.Read(ref _ended) != 0)
        {
            CompleteIfDrained();
        }

        return false;
    }

    /// <summary>
    /// Looks once, without waiting: takes a message (when <paramref name="take"/>), or reports the
    /// end with the sender's failure.
    /// </summary>
    public PollResult Poll(bool take, out T? item, out Exception? failure)
    {
        failure = null;
        bool found;
        if (take)
        {
            found = TryRecv(out item);
        }
        else
        {
            item = default;
            found = (_source?.HeldState ?? HeldResult.None) switch
            {
                HeldResult.Taken => true,
                HeldResult.Blocked => false,
                _ => HasMessages(),
            };
        }

        if (found)
        {
            return PollResult.Message;
        }

        item = default;
        int ended = Volatile.Read(ref _ended);
        if ((ended & ReceiverGone) != 0)
        {
            return PollResult.Ended;
        }

        if ((ended & WritingDone) != 0)
        {
            // The sender's messages happen-before its close: once we see the close, one more look
            // sees every message it sent.
            if (take ? TryRecv(out item) : HasMessages())
            {
                return PollResult.Message;
            }

            item = default;
            failure = _failure;
            return PollResult.Ended;
        }

        return PollResult.Empty;
    }

    /// <summary>True when a receive would not wait: a message is there or the channel ended.</summary>
    public bool IsReady => Poll(take: false, out _, out _) != PollResult.Empty;

    /// <summary>Receives, blocking the calling thread until a message arrives or the channel ends.</summary>
    public T Recv(CancellationToken cancellationToken)
    {
        if (TryRecv(out T? item))
        {
            return item;
        }

        return RecvSlow(cancellationToken);
    }

    private T RecvSlow(CancellationToken cancellationToken)
    {
        JoinHandle? task = Ambient.CurrentTask;
        EnterReceiving();
        try
        {
            SyncReceiver waiter = _syncReceiver ??= new SyncReceiver();
            while (true)
            {
                Ambient.ThrowIfStopped(task, cancellationToken);
                switch (Poll(take: true, out T? item, out Exception? failure))
                {
                    case PollResult.Message:
                        return item!;
                    case PollResult.Ended:
                        throw EndedException(failure);
                }

                waiter.Reset();
                if (TryRegister(waiter) && !waiter.Wait(task, cancellationToken) && TryUnregister(waiter))
                {
                    throw Ambient.Cancelled(task, cancellationToken);
                }
            }
        }
        finally
        {
            ExitReceiving();
        }
    }

    /// <summary>
    /// Blocks until a receive would not wait. Returns true when a message is there, false when the
    /// channel closed cleanly; throws <see cref="ChannelClosedException"/> when the sender failed.
    /// </summary>
    public bool WaitToRecv(CancellationToken cancellationToken)
    {
        JoinHandle? task = null;
        bool entered = false;
        try
        {
            while (true)
            {
                switch (Poll(take: false, out _, out Exception? failure))
                {
                    case PollResult.Message:
                        return true;
                    case PollResult.Ended:
                        return IsReceiverGone ? throw new ObjectDisposedException(nameof(Port<T>)) : failure is null ? false : throw EndedException(failure);
                }

                if (!entered)
                {
                    task = Ambient.CurrentTask;
                    EnterReceiving();
                    entered = true;
                }

                Ambient.ThrowIfStopped(task, cancellationToken);
                SyncReceiver waiter = _syncReceiver ??= new SyncReceiver();
                waiter.Reset();
                if (TryRegister(waiter) && !waiter.Wait(task, cancellationToken) && TryUnregister(waiter))
                {
                    throw Ambient.Cancelled(task, cancellationToken);
                }
            }
        }
        finally
        {
            if (entered)
            {
                ExitReceiving();
            }
        }
    }

    /// <summary>Receives asynchronously. If cancelled, no message was taken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<T> RecvAsync(CancellationToken cancellationToken)
    {
        if (TryRecv(out T? item))
        {
            return new ValueTask<T>(item);
        }

        return RecvAsyncSlow(cancellationToken);
    }

    /// <summary>
    /// The common start of every asynchronous wait: a fired token or a killed task stops it before
    /// it starts (the exception to fault with), otherwise the receiver guard is taken and the
    /// port's reusable receiver returned.
    /// </summary>
    private AsyncReceiver<T>? StartAsyncWait(CancellationToken cancellationToken, out JoinHandle? task, out Exception? stopped)
    {
        task = Ambient.CurrentTask;
        stopped = cancellationToken.IsCancellationRequested ? new OperationCanceledException(cancellationToken)
            : Ambient.IsKilled(task) ? new TaskKilledException()
            : null;
        if (stopped is not null)
        {
            return null;
        }

        EnterReceiving();
        return _asyncReceiver ??= new AsyncReceiver<T>(this);
    }

    /// <summary>A wait stopped before it started: cancelled (not faulted) for the caller's token.</summary>
    private static ValueTask<TResult> Stopped<TResult>(Exception stopped, CancellationToken cancellationToken) =>
        stopped is OperationCanceledException ? ValueTask.FromCanceled<TResult>(cancellationToken) : ValueTask.FromException<TResult>(stopped);

    private ValueTask<T> RecvAsyncSlow(CancellationToken cancellationToken) =>
        StartAsyncWait(cancellationToken, out JoinHandle? task, out Exception? stopped) is { } receiver
            ? receiver.StartRecv(task, cancellationToken)
            : Stopped<T>(stopped!, cancellationToken);

    /// <summary>
    /// Waits asynchronously until a receive would not wait: true when a message is there, false
    /// when the channel closed cleanly; faults with <see cref="ChannelClosedException"/> when the
    /// sender failed. If cancelled, nothing was taken (nothing ever is).
    /// </summary>
    public ValueTask<bool> WaitToRecvAsync(CancellationToken cancellationToken)
    {
        switch (Poll(take: false, out _, out Exception? failure))
        {
            case PollResult.Message:
                return new ValueTask<bool>(true);
            case PollResult.Ended:
                return IsReceiverGone ? ValueTask.FromException<bool>(new ObjectDisposedException(nameof(Port<T>)))
                    : failure is null ? new ValueTask<bool>(false)
                    : ValueTask.FromException<bool>(EndedException(failure));
        }

        return StartAsyncWait(cancellationToken, out JoinHandle? task, out Exception? stopped) is { } receiver
            ? receiver.StartWait(task, cancellationToken)
            : Stopped<bool>(stopped!, cancellationToken);
    }

    /// <summary>
    /// The slow half of an async enumerator's MoveNext: receives into
    /// <see cref="AsyncReceiver{T}.LastItem"/>, or returns false at a clean end.
    /// </summary>
    public ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken, out AsyncReceiver<T>? receiver)
    {
        receiver = StartAsyncWait(cancellationToken, out JoinHandle? task, out Exception? stopped);
        return receiver is not null ? receiver.StartMoveNext(task, cancellationToken) : Stopped<bool>(stopped!, cancellationToken);
    }

    /// <summary>Takes a message for the Dataflow source adapter, bypassing the message it holds.</summary>
    public bool TryTakeForSource([MaybeNullWhen(false)] out T item) => TryTake(out item);

    /// <summary>Lets the Dataflow adapter complete <see cref="Completion"/> after it hands out its held message.</summary>
    public void OnSourceDrained() => CompleteIfDrained();

    /// <summary>The exception a receive throws at the end of the stream.</summary>
    public Exception EndedException(Exception? failure) =>
        IsReceiverGone ? new ObjectDisposedException(nameof(Port<T>), "The port was disposed; it receives nothing more.") : ChannelClosedException.Drained(failure);

    // ---------------------------------------------------------------------------------------
    // The receiver guard and the waiter slot.

    /// <summary>Marks a receiver as waiting; a second concurrent one gets an exception at once.</summary>
    public void EnterReceiving()
    {
        if (Interlocked.CompareExchange(ref _receiving, 1, 0) != 0)
        {
            throw new InvalidOperationException(
                "Another receiver is already waiting on this Port<T>. A port has one receiver at a time: receive from one task, or fan out through a SharedChan per consumer.");
        }
    }

    /// <summary>Ends what <see cref="EnterReceiving"/> started.</summary>
    public void ExitReceiving()
    {
        Debug.Assert(Volatile.Read(ref _receiving) == 1, "ExitReceiving without EnterReceiving.");
        Volatile.Write(ref _receiving, 0);
    }

    /// <summary>
    /// Parks <paramref name="waiter"/> in the slot. Returns false, with the waiter not parked, when
    /// a receive would not wait after all; true when the waiter is parked or its notify is coming.
    /// </summary>
    public bool TryRegister(ReceiveWaiter waiter)
    {
        // The full fence of the exchange orders our registration before the look below; a sender
        // orders its message before its look at the slot. See the class remarks.
        Interlocked.Exchange(ref _waiter, waiter);
        if (!IsReady)
        {
            return true;
        }

        // Something arrived between the caller's look and our registration: take ourselves back.
        // If a sender took us first, its notify is on the way and the caller must wait for it.
        return Interlocked.CompareExchange(ref _waiter, null, waiter) != waiter;
    }

    /// <summary>Takes <paramref name="waiter"/> back out of the slot. False when a notify already claimed it.</summary>
    public bool TryUnregister(ReceiveWaiter waiter) => Interlocked.CompareExchange(ref _waiter, null, waiter) == waiter;

    /// <summary>Notifies the parked receiver, if any. Callers have made their change visible first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void WakeReceiver()
    {
        ReceiveWaiter? waiter = Volatile.Read(ref _waiter);
        if (waiter is not null && Interlocked.CompareExchange(ref _waiter, null, waiter) == waiter)
        {
            waiter.Notify();
        }
    }

    /// <summary>
    /// Claims the parked receiver if it is a <c>RecvAsync</c> (or <c>await foreach</c> step) that
    /// will take the next message, so a sender can hand its message over without the buffer.
    /// </summary>
    /// <remarks>
    /// The caller owns the claimed receiver and must either hand it a message or notify it. It may
    /// hand over only while the buffer is empty: a receiver can be claimed in the window between
    /// registering and its second look, when an earlier message of the same sender may still be
    /// buffered, and handing a later one over would let it overtake.
    /// </remarks>
    protected AsyncReceiver<T>? TryClaimTakingReceiver()
    {
        if (Volatile.Read(ref _waiter) is AsyncReceiver<T> { Commits: true } receiver
            && Interlocked.CompareExchange(ref _waiter, null, receiver) == receiver)
        {
            return receiver;
        }

        return null;
    }

    /// <summary>Wakes the parked receiver for the Dataflow adapter, whose held message became available.</summary>
    public void WakeParkedReceiver() => WakeReceiver();

    /// <summary>True when a receiver that will take the next message is parked (a rendezvous sender may hand over).</summary>
    protected bool HasCommittedReceiver => Volatile.Read(ref _waiter) is { Commits: true };

    // ---------------------------------------------------------------------------------------
    // Send errors.

    internal static void ThrowIfNotSent(SendStatus status)
    {
        if (status != SendStatus.Sent)
        {
            throw NotSentException(status);
        }
    }

    internal static ChannelClosedException NotSentException(SendStatus status) =>
        status == SendStatus.PortGone ? ChannelClosedException.PortGone() : ChannelClosedException.SendAfterClose();
}
