using System.Diagnostics;
using System.Globalization;

namespace Flow.Tests.Futures;

/// <summary>
/// Every wait in the future and arc tests goes through here, so a bug fails a test after
/// <see cref="Timeout"/> instead of hanging the run.
/// </summary>
internal static class FuturesBounded
{
    /// <summary>The longest any single wait in these tests may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);

    /// <summary>Awaits <paramref name="future"/>, failing the test if it is not ready in time.</summary>
    public static Task<T> Within<T>(this Future<T> future) => future.GetAsync().Within();

    /// <summary>Joins <paramref name="handle"/>, failing the test if it does not end in time.</summary>
    public static Task<Result> JoinWithin(this JoinHandle handle) => handle.JoinAsync().WaitAsync(Timeout);

    /// <summary>Joins <paramref name="handle"/>, failing the test if it does not end in time.</summary>
    public static Task<Result<T>> JoinWithin<T>(this JoinHandle<T> handle) => handle.JoinAsync().WaitAsync(Timeout);

    /// <summary>Runs <paramref name="body"/> on a thread of its own (not the thread pool), for bodies that block.</summary>
    public static Task OnOwnThread(Action body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Runs <paramref name="body"/> on a thread of its own (not the thread pool), for bodies that block.</summary>
    public static Task<T> OnOwnThread<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

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

    /// <summary>Waits until <paramref name="thread"/> is parked in a wait (a blocking Get or lock wait parks it in WaitSleepJoin).</summary>
    public static Task UntilBlockedAsync(Thread thread) =>
        UntilAsync(
            () => (thread.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0,
            $"thread {thread.ManagedThreadId.ToString(CultureInfo.InvariantCulture)} blocks");

    /// <summary>Blocks the calling thread until <paramref name="done"/> is set, failing after <see cref="Timeout"/> (for bodies that must block).</summary>
    public static void WaitOrFail(this ManualResetEventSlim done, string what)
    {
        if (!done.Wait(Timeout))
        {
            throw new TimeoutException($"Timed out after {Timeout} waiting until {what}.");
        }
    }
}
