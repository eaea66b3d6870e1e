using System.Runtime.CompilerServices;
using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// A value that is being computed and can be fetched later, by any number of readers, as often as
/// they like: the first <see cref="Get"/> waits, later ones return the cached value.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <remarks>
/// <para><b>Failure.</b> When the computation failed (or the promise was failed), every
/// <see cref="Get"/>, <see cref="GetAsync"/> and <c>await</c> throws a new
/// <see cref="TaskFailedException"/> carrying the same <see cref="TaskFailure"/>.</para>
/// <para><b>Dataflow.</b> A future is a source block with <see cref="WriteOnceBlock{T}"/>
/// semantics: one value, offered to every linked target (each gets the same value), never
/// removed by a receive; <see cref="Completion"/> completes when the value is set and faults when
/// the computation failed.</para>
/// <para><b>Threading.</b> Every member is safe to call from any thread. Inside a Flow task, a
/// wait in <see cref="Get"/> or <see cref="GetAsync"/> stops with
/// <see cref="TaskKilledException"/> when the task is killed.</para>
/// </remarks>
public sealed class Future<T> : IReceivableSourceBlock<T>
{
    private const int Pending = 0;
    private const int Setting = 1;
    private const int HasValue = 2;
    private const int Failed = 3;

    /// <summary>Pending, then Setting (one writer won), then HasValue or Failed; set once.</summary>
    private int _state;

    /// <summary>The value; written before <see cref="_state"/> becomes HasValue.</summary>
    private T _value = default!;

    /// <summary>The failure; written before <see cref="_state"/> becomes Failed.</summary>
    private TaskFailure? _failure;

    /// <summary>Who waits for the value (a <see cref="CompletionSlot"/>).</summary>
    private object? _waiters;

    /// <summary>Dataflow links waiting for the value; guarded by locking the list. Created on first link.</summary>
    private List<(ITargetBlock<T> Target, DataflowLinkOptions Options)>? _links;

    private Task? _completion;

    internal Future()
    {
    }

    /// <summary>True once the value (or the failure) is there: <see cref="Get"/> returns (or throws) at once.</summary>
    public bool IsReady => Volatile.Read(ref _state) >= HasValue;

    /// <summary>True once the computation failed.</summary>
    public bool IsFailed => Volatile.Read(ref _state) == Failed;

    /// <summary>The value, blocking the calling thread the first time until it is there.</summary>
    /// <returns>The value; the same one on every call.</returns>
    /// <exception cref="TaskFailedException">The computation failed; <see cref="TaskFailedException.Failure"/> says why.</exception>
    /// <exception cref="TaskKilledException">The calling Flow task was killed while waiting.</exception>
    public T Get()
    {
        if (!IsReady)
        {
            KillableWait.Wait(CompletionSlot.AsTask(ref _waiters));
        }

        return Result();
    }

    /// <summary>The value, without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops the wait (not the computation).</param>
    /// <returns>The value; completes synchronously once it is there.</returns>
    /// <exception cref="TaskFailedException">The computation failed.</exception>
    public ValueTask<T> GetAsync(CancellationToken cancellationToken = default) =>
        IsReady ? ReadyResult() : new ValueTask<T>(WaitAsync(cancellationToken));

    /// <summary>Lets <c>await future</c> return the value; throws <see cref="TaskFailedException"/> when the computation failed.</summary>
    /// <returns>The awaiter.</returns>
    public Awaiter GetAwaiter() => new(this);

    /// <summary>The value, if it is there.</summary>
    /// <param name="value">The value, when the result is true.</param>
    /// <returns>True when the value is there (false while pending or when the computation failed).</returns>
    public bool TryGet([MaybeNullWhen(false)] out T value)
    {
        if (Volatile.Read(ref _state) == HasValue)
        {
            value = _value;
            return true;
        }

        value = default;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Volatile.Read(ref _state) switch
    {
        HasValue => $"Future({_value})",
        Failed => $"Future(failed: {_failure})",
        _ => "Future(pending)",
    };

    private async Task<T> WaitAsync(CancellationToken cancellationToken)
    {
        await KillableWait.WaitAsync(CompletionSlot.AsTask(ref _waiters), cancellationToken).ConfigureAwait(false);
        return Result();
    }

    private ValueTask<T> ReadyResult() =>
        Volatile.Read(ref _state) == HasValue ? new ValueTask<T>(_value) : ValueTask.FromException<T>(new TaskFailedException(_failure!));

    private T Result() => Volatile.Read(ref _state) == HasValue ? _value : throw new TaskFailedException(_failure!);

    // ---------------------------------------------------------------------------------------
    // Completing.

    internal bool TrySetValue(T value)
    {
        if (Interlocked.CompareExchange(ref _state, Setting, Pending) != Pending)
        {
            return false;
        }

        _value = value;
        Volatile.Write(ref _state, HasValue);
        OnSet();
        return true;
    }

    internal bool TrySetFailure(TaskFailure failure)
    {
        if (Interlocked.CompareExchange(ref _state, Setting, Pending) != Pending)
        {
            return false;
        }

        _failure = failure;
        Volatile.Write(ref _state, Failed);
        OnSet();
        return true;
    }

    private void OnSet()
    {
        CompletionSlot.Signal(ref _waiters);
        List<(ITargetBlock<T> Target, DataflowLinkOptions Options)>? links = Volatile.Read(ref _links);
        if (links is null)
        {
            return;
        }

        (ITargetBlock<T>, DataflowLinkOptions)[] waiting;
        lock (links)
        {
            waiting = [.. links];
            links.Clear();
        }

        foreach ((ITargetBlock<T> target, DataflowLinkOptions options) in waiting)
        {
            OfferTo(target, options);
        }
    }

    /// <summary>Completes this future with the outcome of <paramref name="task"/> when it ends.</summary>
    internal void ComputeWith(JoinHandle<T> task) => task.OnEnded(() =>
    {
        Result<T> result = task.Join();
        if (result.TryGetValue(out T? value))
        {
            TrySetValue(value);
        }
        else
        {
            TrySetFailure(result.Error!);
        }
    });

    /// <summary>Completes this future with the first message of <paramref name="port"/>.</summary>
    internal void ReceiveFrom(Port<T> port)
    {
        // The receive is the future's, not the caller's: a Flow task that creates the future may be
        // killed (or hand the future on) long before the message comes, and its kill must not fail
        // the future. So the receive starts outside any task: here for a sync body's marker, in
        // ReceiveFromAsync for an async body's (its own context keeps that change from the caller).
        JoinHandle? caller = Ambient.EnterSync(null);
        try
        {
            _ = ReceiveFromAsync(port);
        }
        finally
        {
            Ambient.EnterSync(caller);
        }
    }

    private async Task ReceiveFromAsync(Port<T> port)
    {
        Ambient.EnterAsync(null);

        // Every exception is caught and becomes the future's failure, so the task never faults.
        try
        {
            TrySetValue(await port.RecvAsync().ConfigureAwait(false));
        }
        catch (Exception e)
        {
            TrySetFailure(new TaskFailure(default, "future from port", e));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Dataflow source protocol: WriteOnceBlock semantics.

    /// <summary>Completes when the value is set; faults with the computation's exception when it failed.</summary>
    public Task Completion => _completion ??= CompletionAsync();

    private async Task CompletionAsync()
    {
        await CompletionSlot.AsTask(ref _waiters).ConfigureAwait(false);
        if (Volatile.Read(ref _state) == Failed)
        {
            // Rethrown as captured, so the computation's own stack trace is kept.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure!.Exception);
        }
    }

    /// <inheritdoc />
    public IDisposable LinkTo(ITargetBlock<T> target, DataflowLinkOptions linkOptions)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(linkOptions);
        if (!IsReady)
        {
            List<(ITargetBlock<T>, DataflowLinkOptions)> links = LazyInitializer.EnsureInitialized(ref _links);
            lock (links)
            {
                // Checked again under the lock: OnSet empties the list under it after the value is set.
                if (!IsReady)
                {
                    links.Add((target, linkOptions));
                    return new Unlink(links, (target, linkOptions));
                }
            }
        }

        OfferTo(target, linkOptions);
        return new Unlink(null, default);
    }

    private void OfferTo(ITargetBlock<T> target, DataflowLinkOptions options)
    {
        if (Volatile.Read(ref _state) == HasValue)
        {
            // A target that postpones comes back through ConsumeMessage, which always has the value.
            target.OfferMessage(new DataflowMessageHeader(1), _value, this, consumeToAccept: false);
            if (options.PropagateCompletion)
            {
                target.Complete();
            }
        }
        else if (options.PropagateCompletion)
        {
            target.Fault(_failure!.Exception);
        }
    }

    /// <inheritdoc />
    public bool TryReceive(Predicate<T>? filter, [MaybeNullWhen(false)] out T item)
    {
        if (TryGet(out item) && (filter is null || filter(item)))
        {
            return true;
        }

        item = default;
        return false;
    }

    /// <inheritdoc />
    public bool TryReceiveAll([NotNullWhen(true)] out IList<T>? items)
    {
        items = TryGet(out T? value) ? [value] : null;
        return items is not null;
    }

    /// <inheritdoc />
    T? ISourceBlock<T>.ConsumeMessage(DataflowMessageHeader messageHeader, ITargetBlock<T> target, out bool messageConsumed)
    {
        ArgumentNullException.ThrowIfNull(target);
        messageConsumed = messageHeader.Id == 1 && TryGet(out _);
        return messageConsumed ? _value : default;
    }

    /// <inheritdoc />
    bool ISourceBlock<T>.ReserveMessage(DataflowMessageHeader messageHeader, ITargetBlock<T> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return messageHeader.Id == 1 && TryGet(out _);
    }

    /// <inheritdoc />
    void ISourceBlock<T>.ReleaseReservation(DataflowMessageHeader messageHeader, ITargetBlock<T> target) => ArgumentNullException.ThrowIfNull(target);

    /// <summary>Completing a future as a block means it gets no value: it fails with <see cref="ChannelClosedException"/> if still pending.</summary>
    void IDataflowBlock.Complete() =>
        TrySetFailure(new TaskFailure(default, "future", new ChannelClosedException("The future was completed without a value.")));

    /// <summary>Faults the future with <paramref name="exception"/> if still pending.</summary>
    void IDataflowBlock.Fault(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        TrySetFailure(new TaskFailure(default, "future", exception));
    }

    /// <summary>The awaiter of <c>await future</c>.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly Future<T> _future;

        internal Awaiter(Future<T> future) => _future = future;

        /// <summary>True once the value (or the failure) is there.</summary>
        public bool IsCompleted => _future.IsReady;

        /// <summary>The value; throws <see cref="TaskFailedException"/> when the computation failed.</summary>
        /// <returns>The value.</returns>
        public T GetResult()
        {
            if (!_future.IsReady)
            {
                // Woken by the awaiting task's kill, or called without an await: Get observes both.
                Ambient.ThrowIfKilled(Ambient.CurrentTask);
                return _future.Get();
            }

            return _future.Result();
        }

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => CompletionSlot.OnDoneFromAwaiter(ref _future._waiters, continuation, flowExecutionContext: true);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation) => CompletionSlot.OnDoneFromAwaiter(ref _future._waiters, continuation, flowExecutionContext: false);
    }

    private sealed class Unlink(List<(ITargetBlock<T>, DataflowLinkOptions)>? links, (ITargetBlock<T>, DataflowLinkOptions) link) : IDisposable
    {
        public void Dispose()
        {
            if (links is not null)
            {
                lock (links)
                {
                    links.Remove(link);
                }
            }
        }
    }
}
