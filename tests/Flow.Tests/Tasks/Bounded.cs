using System.Diagnostics;

namespace Flow.Tests.Tasks;

/// <summary>
/// Every wait in the task tests goes through here, so a bug fails a test after
/// <see cref="Timeout"/> instead of hanging the run.
/// </summary>
internal static class Bounded
{
    /// <summary>The longest any single wait in these tests may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);

    public static Task Within(this ValueTask task) => task.AsTask().WaitAsync(Timeout);

    /// <summary>Awaits <paramref name="handle"/> (value or <see cref="TaskFailedException"/>), failing the test if it does not end in time.</summary>
    public static Task Within(this JoinHandle handle)
    {
        return Await().WaitAsync(Timeout);

        async Task Await() => await handle;
    }

    /// <summary>Awaits <paramref name="handle"/> for its value, failing the test if it does not end in time.</summary>
    public static Task<T> Within<T>(this JoinHandle<T> handle)
    {
        return Await().WaitAsync(Timeout);

        async Task<T> Await() => await handle;
    }

    /// <summary>Throws <paramref name="exception"/>; as an expression, it gives a body lambda a result type.</summary>
    public static T Throw<T>(Exception exception) => throw exception;

    /// <summary>Joins <paramref name="handle"/>, failing the test if it does not end in time.</summary>
    public static Task<Result> JoinWithin(this JoinHandle handle) => handle.JoinAsync().WaitAsync(Timeout);

    /// <summary>Joins <paramref name="handle"/>, failing the test if it does not end in time.</summary>
    public static Task<Result<T>> JoinWithin<T>(this JoinHandle<T> handle) => handle.JoinAsync().WaitAsync(Timeout);

    /// <summary>Polls <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"Timed out after {Timeout} waiting until {what}.");
            }

            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Waits until <paramref name="thread"/> is blocked in a wait (a blocking Flow operation parks
    /// its thread in <see cref="System.Threading.ThreadState.WaitSleepJoin"/>).
    /// </summary>
    public static Task UntilBlockedAsync(Thread thread) =>
        UntilAsync(() => (thread.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0, $"thread '{thread.Name ?? thread.ManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture)}' blocks");

    /// <summary>Blocks the caller until <paramref name="task"/> completes (for synchronous property bodies).</summary>
    public static void Wait(Task task)
    {
        if (!task.Wait(Timeout))
        {
            throw new TimeoutException($"Timed out after {Timeout}.");
        }
    }

    /// <summary>Blocks the caller until <paramref name="task"/> completes (for synchronous property bodies).</summary>
    public static T Wait<T>(Task<T> task)
    {
        Wait((Task)task);
        return task.Result;
    }
}
