namespace Flow;

/// <summary>
/// A mutual-exclusion lock that can be waited for synchronously or asynchronously, handed to
/// waiters in FIFO order. Uncontended, entering and leaving cost one CAS each.
/// </summary>
/// <remarks>
/// <see cref="_state"/> packs the lock: bit 0 is "held", the rest counts queued waiters (in steps
/// of 2). A waiter increments the count and enqueues itself in one critical section of
/// <see cref="_gate"/>, so a leaver that sees a count finds a waiter in the queue, and hands the
/// lock over without ever releasing it: nobody can barge past a queued waiter.
/// </remarks>
internal sealed class AsyncMutex
{
    private const int Held = 1;
    private const int OneWaiter = 2;

    private readonly Lock _gate = new();

    /// <summary>Waiters in arrival order; guarded by <see cref="_gate"/>.</summary>
    private readonly LinkedList<TaskCompletionSource> _waiters = new();

    private int _state;

    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _state, Held, 0) != 0)
        {
            EnterSlow(CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public ValueTask EnterAsync(CancellationToken cancellationToken) =>
        Interlocked.CompareExchange(ref _state, Held, 0) == 0 ? default : new ValueTask(EnterSlow(cancellationToken));

    private Task EnterSlow(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            while (true)
            {
                int state = Volatile.Read(ref _state);
                if ((state & Held) == 0)
                {
                    if (Interlocked.CompareExchange(ref _state, state | Held, state) == state)
                    {
                        return Task.CompletedTask;
                    }
                }
                else if (Interlocked.CompareExchange(ref _state, state + OneWaiter, state) == state)
                {
                    break;
                }
            }

            node = _waiters.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        if (cancellationToken.CanBeCanceled)
        {
            CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(_ => Cancel(node, cancellationToken), null);
            node.Value.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return node.Value.Task;
    }

    private void Cancel(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Still queued means not handed the lock: leave the queue, and the count with it.
            if (node.List is null)
            {
                return;
            }

            _waiters.Remove(node);
            Interlocked.Add(ref _state, -OneWaiter);
        }

        node.Value.TrySetCanceled(cancellationToken);
    }

    public void Exit()
    {
        if (Interlocked.CompareExchange(ref _state, 0, Held) == Held)
        {
            return;
        }

        TaskCompletionSource next;
        lock (_gate)
        {
            LinkedListNode<TaskCompletionSource>? first = _waiters.First;
            if (first is null)
            {
                // The waiters we saw counted all cancelled before we took the gate (Cancel takes its
                // count with it), so there is nobody to hand over to: release the lock. Only the held
                // bit is left, and nobody else can change the state while we hold the gate (entering
                // needs the state at 0, or the gate).
                Volatile.Write(ref _state, 0);
                return;
            }

            next = first.Value;
            _waiters.RemoveFirst();

            // The held bit stays set: the lock passes straight to the next waiter.
            Interlocked.Add(ref _state, -OneWaiter);
        }

        next.TrySetResult();
    }
}
