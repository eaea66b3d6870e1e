using System.Threading.Tasks.Sources;

namespace Flow;

/// <summary>
/// A sender blocked on a full bounded (or rendezvous) channel, holding the message it offers. One
/// per sending handle, reused by every blocked send of that handle, so a blocked send allocates
/// nothing.
/// </summary>
/// <remarks>
/// While queued, the waiter's links and <see cref="Item"/> are guarded by the core's lock. Its
/// <see cref="Outcome"/> moves once from <see cref="SendOutcome.Waiting"/>, under that lock:
/// a receiver accepts it, a disposed port refuses it, or a token cancels it. Whoever moved it
/// signals it, after leaving the lock.
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "The event lives as long as its chan handle; an event that never blocked holds no handle, and one that did is released by its SafeHandle's finalizer.")]
internal sealed class SendWaiter<T> : IValueTaskSource, IThreadPoolWorkItem, IKillable
{
    private static readonly Action<object?> s_onCancelled = static state => ((SendWaiter<T>)state!).OnCancelled();

    /// <summary>True when the handle is a shared chan clone (only changes the misuse message).</summary>
    private readonly bool _shared;

    /// <summary>1 while a send of this handle is waiting; catches concurrent sends on one single-sender chan.</summary>
    private int _inUse;

    private ManualResetValueTaskSourceCore<bool> _source;
    private ManualResetEventSlim? _event;
    private bool _isAsync;

    /// <summary>Set by <see cref="Signal"/> after it set the event of a blocking send; cleared by <see cref="PrepareSync"/>.</summary>
    private volatile bool _signalled;
    private CancellationToken _cancellation;

    /// <summary>The Flow task that sends, whose kill ends the wait; null outside a task.</summary>
    private JoinHandle? _task;
    private CancellationTokenRegistration _cancellationRegistration;
    private KillWatch _killWatch;

    /// <summary>The core this waiter is queued in while waiting.</summary>
    internal BoundedCore<T>? Core;

    /// <summary>Neighbours in the core's FIFO of blocked senders; guarded by the core's lock.</summary>
    internal SendWaiter<T>? Next;

    /// <summary>Neighbours in the core's FIFO of blocked senders; guarded by the core's lock.</summary>
    internal SendWaiter<T>? Previous;

    /// <summary>The message on offer; guarded by the core's lock while queued.</summary>
    internal T Item = default!;

    /// <summary>What became of the offer; guarded by the core's lock.</summary>
    internal SendOutcome Outcome;

    /// <summary>True while linked into the core's FIFO; guarded by the core's lock.</summary>
    internal bool Queued;

    public SendWaiter(bool shared) => _shared = shared;

    /// <summary>Claims the waiter for one send; a second concurrent send on the same handle is misuse.</summary>
    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _inUse, 1, 0) != 0)
        {
            throw new InvalidOperationException(_shared
                ? "Two sends at once on one SharedChan<T> handle. Give each concurrent sender its own Clone()."
                : "Two sends at once on one Chan<T>. A Chan has one sender; for several senders use SharedChan<T> and give each its own Clone().");
        }
    }

    public void Exit() => Volatile.Write(ref _inUse, 0);

    /// <summary>Prepares a blocking wait for <paramref name="item"/>.</summary>
    public void PrepareSync(BoundedCore<T> core, T item)
    {
        _isAsync = false;
        _signalled = false;
        (_event ??= new ManualResetEventSlim(initialState: false)).Reset();
        Prepare(core, item);
    }

    /// <summary>Prepares an asynchronous wait for <paramref name="item"/> and registers the tokens.</summary>
    public void PrepareAsync(BoundedCore<T> core, T item, JoinHandle? task, CancellationToken cancellationToken)
    {
        _isAsync = true;
        _source.Reset();
        Prepare(core, item);
        _cancellation = cancellationToken;
        _task = task;
        _cancellationRegistration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(s_onCancelled, this) : default;
        _killWatch = KillWatch.Start(task, this);
    }

    private void Prepare(BoundedCore<T> core, T item)
    {
        Core = core;
        Item = item;
        Outcome = SendOutcome.Waiting;
    }

    public ValueTask AsValueTask() => new(this, _source.Version);

    /// <summary>Ends an asynchronous send that finished without queueing.</summary>
    public void ReleaseImmediate()
    {
        DisposeRegistrations();
        Core = null;
        Item = default!;
        Exit();
    }

    private void DisposeRegistrations()
    {
        // Dispose waits for a callback running on another thread, so no callback of this send can
        // touch the waiter once it is reused.
        _cancellationRegistration.Dispose();
        _killWatch.Dispose();
        _cancellationRegistration = default;
        _killWatch = default;
    }

    /// <summary>Blocks until the offer is decided; false when the token fired or the task was killed first.</summary>
    public bool WaitSync(JoinHandle? task, CancellationToken cancellationToken)
    {
        _task = task;
        try
        {
            return BlockingWait.Wait(_event!, task, this, cancellationToken);
        }
        finally
        {
            _task = null;
        }
    }

    /// <summary>Wakes the sender after its outcome was decided. Never called under the core's lock.</summary>
    public void Signal()
    {
        if (_isAsync)
        {
            FlowRuntime.Current.Schedule(this);
        }
        else
        {
            _event!.Set();
            _signalled = true;
        }
    }

    /// <summary>
    /// Waits until the signal of a blocking send's decided outcome was delivered. The decider
    /// signals right after leaving the core's lock, so this only waits out that short window.
    /// </summary>
    public void AwaitSignal()
    {
        var spin = default(SpinWait);
        while (!_signalled)
        {
            spin.SpinOnce();
        }
    }

    void IKillable.OnKilled()
    {
        if (_isAsync)
        {
            OnCancelled();
        }
        else
        {
            _event!.Set();
        }
    }

    private void OnCancelled()
    {
        if (Core!.TryCancel(this))
        {
            Signal();
        }
    }

    /// <summary>Cancels the offer if it is still waiting (tokens checked after queueing).</summary>
    public void CancelIfRequested()
    {
        if (Ambient.IsStopped(_task, _cancellation) && Core!.TryCancel(this))
        {
            Signal();
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        DisposeRegistrations();
        switch (Outcome)
        {
            case SendOutcome.Accepted:
                _source.SetResult(true);
                break;
            case SendOutcome.Refused:
                _source.SetException(ChannelClosedException.PortGone());
                break;
            default:
                _source.SetException(Ambient.Cancelled(_task, _cancellation));
                break;
        }

        _cancellation = default;
        _task = null;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _source.GetResult(token);
        }
        finally
        {
            Core = null;
            Exit();
        }
    }
}

/// <summary>What became of a blocked sender's offer.</summary>
internal enum SendOutcome : byte
{
    /// <summary>Still queued.</summary>
    Waiting,

    /// <summary>A receiver took the message (or moved it into the freed buffer slot).</summary>
    Accepted,

    /// <summary>The port was disposed; the sender keeps the message.</summary>
    Refused,

    /// <summary>A token fired first; nothing was delivered.</summary>
    Cancelled,
}
