using System.Threading.Tasks.Sources;

namespace Flow;

/// <summary>
/// The one reusable waiter behind <c>RecvAsync</c> and <c>WaitToRecvAsync</c> of a port. A port
/// has one receiver at a time, so one waiter per port is enough and a pending receive allocates
/// nothing.
/// </summary>
/// <remarks>
/// Lifecycle of one operation: <see cref="StartRecv"/>/<see cref="StartWait"/> (the core's receiver
/// guard is held), parked in the core's slot, woken by <see cref="Notify"/> (a sender took it out of
/// the slot) or by a token callback (which took it out itself), finished on a runtime work item,
/// and released in <c>GetResult</c>, which is the only place the guard is dropped, so the waiter is
/// never reset while its previous result is unread.
/// </remarks>
internal sealed class AsyncReceiver<T> : ReceiveWaiter, IValueTaskSource<T>, IThreadPoolWorkItem, IKillable
{
    private static readonly Action<object?> s_onCancelled = static state => ((AsyncReceiver<T>)state!).OnCancelled();

    private readonly ChanCore<T> _core;

    /// <summary>Continuations run inline in <see cref="Finish"/>, which itself runs on a runtime work item.</summary>
    private ManualResetValueTaskSourceCore<T> _source;

    /// <summary>False for <c>WaitToRecvAsync</c>: report readiness, take nothing.</summary>
    private bool _take;

    /// <summary>True when a clean end completes the operation with false instead of throwing.</summary>
    private bool _endAsFalse;

    /// <summary>The result of a <c>WaitToRecvAsync</c>.</summary>
    private bool _ready;

    private CancellationToken _cancellation;

    /// <summary>The Flow task that waits, whose kill ends the wait; null outside a task.</summary>
    private JoinHandle? _task;
    private CancellationTokenRegistration _cancellationRegistration;
    /// <summary>The kill watch's token registration, when it went through the task's token (<see cref="_killViaToken"/>).</summary>
    private CancellationTokenRegistration _killFallback;

    /// <summary>True when the kill watch went through the task's token; otherwise through its slot (the task and this waiter are known).</summary>
    private bool _killViaToken;

    /// <summary>Set by a token callback that took this waiter out of the slot; read when the work item runs.</summary>
    private volatile bool _cancelled;

    /// <summary>
    /// A message a sender handed over (valid while <see cref="_hasHandOff"/> is set), and later the
    /// message an enumerator step received (<see cref="LastItem"/>): one field, as the two never
    /// overlap, so a waiting receiver costs a few bytes less.
    /// </summary>
    private T _item = default!;

    /// <summary>Set by <see cref="HandOff"/> (before the work item is queued), cleared by the owner when it takes the message.</summary>
    private volatile bool _hasHandOff;

    /// <summary>The same operation seen as a <see cref="ValueTask{Boolean}"/>; created on first use.</summary>
    private BoolView? _boolView;

    public AsyncReceiver(ChanCore<T> core) => _core = core;

    /// <summary>The message taken by the last <see cref="StartMoveNext"/> that returned true.</summary>
    public T LastItem => _item;

    /// <summary>Receives one message; a clean end throws.</summary>
    public ValueTask<T> StartRecv(JoinHandle? task, CancellationToken cancellationToken)
    {
        Begin(take: true, endAsFalse: false, task, cancellationToken);
        return new ValueTask<T>(this, _source.Version);
    }

    /// <summary>Waits until a receive would not wait; true for a message, false for a clean end.</summary>
    public ValueTask<bool> StartWait(JoinHandle? task, CancellationToken cancellationToken)
    {
        Begin(take: false, endAsFalse: true, task, cancellationToken);
        return new ValueTask<bool>(_boolView ??= new BoolView(this), _source.Version);
    }

    /// <summary>Receives one message into <see cref="LastItem"/>; true for a message, false for a clean end.</summary>
    public ValueTask<bool> StartMoveNext(JoinHandle? task, CancellationToken cancellationToken)
    {
        Begin(take: true, endAsFalse: true, task, cancellationToken);
        return new ValueTask<bool>(_boolView ??= new BoolView(this), _source.Version);
    }

    private void Begin(bool take, bool endAsFalse, JoinHandle? task, CancellationToken cancellationToken)
    {
        _source.Reset();
        _take = take;
        _endAsFalse = endAsFalse;
        _cancelled = false;
        _cancellation = cancellationToken;
        _task = task;

        // Register before parking: a callback that fires before we are in the slot finds nothing to
        // take back, and Advance checks the token and the kill again after parking.
        _cancellationRegistration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(s_onCancelled, this) : default;
        KillWatch watch = KillWatch.Start(task, this);
        _killFallback = watch.Fallback;
        _killViaToken = watch.ViaToken;
        Advance();
    }

    /// <summary>Finishes the operation if it can, or parks the waiter. Only the owner of the waiter runs this.</summary>
    private void Advance()
    {
        // A handed-over message is delivered even if a token fired meanwhile: it left the sender,
        // so dropping it would lose it.
        if (_hasHandOff)
        {
            T item = _item;
            _item = default!;
            _hasHandOff = false;
            Finish(item, ready: true);
            return;
        }

        while (true)
        {
            if (Ambient.IsStopped(_task, _cancellation))
            {
                FinishCancelled();
                return;
            }

            switch (_core.Poll(_take, out T? item, out Exception? failure))
            {
                case PollResult.Message:
                    Finish(item!, ready: true);
                    return;
                case PollResult.Ended:
                    if (_endAsFalse && failure is null && !_core.IsReceiverGone)
                    {
                        Finish(default!, ready: false);
                    }
                    else
                    {
                        FinishWith(_core.EndedException(failure));
                    }

                    return;
            }

            if (_core.TryRegister(this))
            {
                // A token may have fired while we were not in the slot; its callback found nothing.
                if (Ambient.IsStopped(_task, _cancellation) && _core.TryUnregister(this))
                {
                    FinishCancelled();
                }

                return;
            }
        }
    }

    /// <summary>
    /// Only a receive takes the message it is woken for; a <c>WaitToRecvAsync</c> only looks, so a
    /// rendezvous sender must not hand its message over to it.
    /// </summary>
    public override bool Commits => _take;

    public override void Notify() => FlowRuntime.Current.Schedule(this);

    /// <summary>Completes the parked receive with <paramref name="item"/>; the caller claimed this waiter out of the slot.</summary>
    public void HandOff(T item)
    {
        _item = item;
        _hasHandOff = true;
        FlowRuntime.Current.Schedule(this);
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (_cancelled)
        {
            FinishCancelled();
        }
        else
        {
            Advance();
        }
    }

    void IKillable.OnKilled() => OnCancelled();

    private void OnCancelled()
    {
        // Only the one who takes the waiter out of the slot may finish it; if a sender got there
        // first, its notify finishes the operation (Advance sees the token and takes nothing).
        if (_core.TryUnregister(this))
        {
            _cancelled = true;
            FlowRuntime.Current.Schedule(this);
        }
    }

    private void FinishCancelled() => FinishWith(Ambient.Cancelled(_task, _cancellation));

    private void Finish(T item, bool ready)
    {
        ReleaseRegistrations();
        _ready = ready;
        _source.SetResult(item);
    }

    private void FinishWith(Exception exception)
    {
        ReleaseRegistrations();
        _source.SetException(exception);
    }

    private void ReleaseRegistrations()
    {
        // Dispose waits for a callback running on another thread, so no callback of this operation
        // can touch the waiter once it is reused.
        _cancellationRegistration.Dispose();
        KillWatch.End(_task, this, _killFallback, _killViaToken);
        _cancellationRegistration = default;
        _killFallback = default;
        _killViaToken = false;
        _cancellation = default;
        _task = null;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    T IValueTaskSource<T>.GetResult(short token)
    {
        try
        {
            return _source.GetResult(token);
        }
        finally
        {
            _core.ExitReceiving();
        }
    }

    private bool GetReady(short token)
    {
        try
        {
            _item = _source.GetResult(token);
            return _ready;
        }
        finally
        {
            _core.ExitReceiving();
        }
    }

    /// <summary>The operations that answer true or false (wait, enumerate) over the same waiter.</summary>
    private sealed class BoolView(AsyncReceiver<T> owner) : IValueTaskSource<bool>
    {
        public ValueTaskSourceStatus GetStatus(short token) => owner.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            owner.OnCompleted(continuation, state, token, flags);

        public bool GetResult(short token) => owner.GetReady(token);
    }
}
