namespace Flow;

/// <summary>
/// Who waits for a one-time event (a task's end, a future's value), in one field: nothing yet, the
/// continuation of a single awaiter, a task completion source once there may be several, or
/// <see cref="Done"/> once the event happened.
/// </summary>
/// <remarks>
/// The single-awaiter case — one <c>await</c> on a handle or a future — costs no allocation beyond
/// the awaiter's own continuation. Every transition is a CAS on the field, so the event is signalled
/// exactly once and a waiter that comes late sees <see cref="Done"/>.
/// </remarks>
internal static class CompletionSlot
{
    /// <summary>The slot's value once the event happened.</summary>
    public static readonly object Done = new();

    private static readonly Action<object?> s_runContinuation = static state => ((Action)state!)();

    /// <summary>True once the event happened.</summary>
    public static bool IsDone(ref object? slot) => Volatile.Read(ref slot) == Done;

    /// <summary>A task that completes (never faults) when the event happens.</summary>
    public static Task AsTask(ref object? slot)
    {
        while (true)
        {
            object? current = Volatile.Read(ref slot);
            if (current == Done)
            {
                return Task.CompletedTask;
            }

            if (current is TaskCompletionSource existing)
            {
                return existing.Task;
            }

            // Several waiters from now on: a task completion source, which takes over the one
            // awaiter's continuation if there is one.
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref slot, created, current) == current)
            {
                if (current is Action continuation)
                {
                    created.Task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(continuation);
                }

                return created.Task;
            }
        }
    }

    /// <summary>Registers an awaiter's continuation; it is resumed through the runtime once the event happened.</summary>
    public static void OnDone(ref object? slot, Action continuation)
    {
        object? current = Interlocked.CompareExchange(ref slot, continuation, null);
        if (current is null)
        {
            return;
        }

        if (current == Done)
        {
            FlowRuntime.Current.Schedule(s_runContinuation, continuation);
        }
        else
        {
            AsTask(ref slot).ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(continuation);
        }
    }

    /// <summary>Marks the event as happened and resumes whoever waits. Called once.</summary>
    public static void Signal(ref object? slot)
    {
        switch (Interlocked.Exchange(ref slot, Done))
        {
            case Action continuation:
                // The awaiter belongs to another task (or none): it must not see the current one.
                JoinHandle? current = Ambient.EnterSync(null);
                try
                {
                    FlowRuntime.Current.Resume(s_runContinuation, continuation);
                }
                finally
                {
                    Ambient.EnterSync(current);
                }

                break;
            case TaskCompletionSource waiting:
                waiting.TrySetResult();
                break;
        }
    }

    /// <summary>
    /// Registers the continuation of an <c>await</c> as a Task's awaiter would: it resumes in the
    /// awaiter's synchronization context or task scheduler (so a body on a bounded or dedicated
    /// scheduler stays there), in its execution context when <paramref name="flowExecutionContext"/>,
    /// and — inside a Flow task — also when that task is killed, so an await is a kill point like
    /// every other Flow wait.
    /// </summary>
    public static void OnDoneFromAwaiter(ref object? slot, Action continuation, bool flowExecutionContext)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        continuation = InSchedulingContext(continuation);
        if (flowExecutionContext && ExecutionContext.Capture() is { } context)
        {
            Action inner = continuation;
            continuation = () => ExecutionContext.Run(context, static c => ((Action)c!)(), inner);
        }

        if (Ambient.CurrentTask is { } task)
        {
            var once = new KillableContinuation(continuation);
            once.Watch(task);
            continuation = once.Run;
        }

        OnDone(ref slot, continuation);
    }

    private static Action InSchedulingContext(Action continuation)
    {
        SynchronizationContext? context = SynchronizationContext.Current;
        if (context is not null && context.GetType() != typeof(SynchronizationContext))
        {
            return () => context.Post(static c => ((Action)c!)(), continuation);
        }

        TaskScheduler scheduler = TaskScheduler.Current;
        if (scheduler != TaskScheduler.Default)
        {
            return () => Task.Factory.StartNew(continuation, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
        }

        return continuation;
    }

    /// <summary>An await continuation that the awaiting task's kill may also run; it runs once.</summary>
    private sealed class KillableContinuation(Action continuation) : IKillable
    {
        private KillWatch _watch;
        private int _ran;

        public void Watch(JoinHandle task) => _watch = KillWatch.Start(task, this);

        public void Run()
        {
            if (Interlocked.Exchange(ref _ran, 1) == 0)
            {
                _watch.Dispose();
                continuation();
            }
        }

        // Not inline on the killer's thread: the awaiter resumes as a work item of its own.
        public void OnKilled() => FlowRuntime.Current.Schedule(static c => ((KillableContinuation)c!).Run(), this);
    }
}
