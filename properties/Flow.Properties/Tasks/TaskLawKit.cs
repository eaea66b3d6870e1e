namespace Flow.Properties.Tasks;

/// <summary>Bounded waits for the task laws: a bug fails a run after <see cref="Timeout"/> instead of hanging it.</summary>
internal static class TaskLawKit
{
    /// <summary>The longest any single wait in a law may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Joins <paramref name="handle"/>, throwing <see cref="TimeoutException"/> if it does not end in time.</summary>
    public static Result Join(JoinHandle handle, string what) => Wait(handle.JoinAsync(), what);

    /// <summary>Joins <paramref name="handle"/>, throwing <see cref="TimeoutException"/> if it does not end in time.</summary>
    public static Result<T> Join<T>(JoinHandle<T> handle, string what) => Wait(handle.JoinAsync(), what);

    /// <summary>Blocks until <paramref name="task"/> completes, throwing <see cref="TimeoutException"/> naming <paramref name="what"/> if it does not in time.</summary>
    public static T Wait<T>(Task<T> task, string what)
    {
        if (!task.Wait(Timeout))
        {
            throw new TimeoutException($"Timed out after {Timeout} waiting for {what}.");
        }

        return task.Result;
    }

    /// <summary>Blocks until <paramref name="task"/> completes, throwing <see cref="TimeoutException"/> naming <paramref name="what"/> if it does not in time.</summary>
    public static void Wait(Task task, string what)
    {
        if (!task.Wait(Timeout))
        {
            throw new TimeoutException($"Timed out after {Timeout} waiting for {what}.");
        }
    }
}
