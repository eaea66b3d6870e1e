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

    /// <summary>Wraps <paramref name="continuation"/> to run in the caller's execution context (for <c>OnCompleted</c>, as opposed to <c>UnsafeOnCompleted</c>).</summary>
    public static Action FlowingContext(Action continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ExecutionContext? context = ExecutionContext.Capture();
        return context is null ? continuation : () => ExecutionContext.Run(context, static c => ((Action)c!)(), continuation);
    }
}
