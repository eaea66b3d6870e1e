namespace Flow.Tests;

/// <summary>
/// Every wait in the tests is bounded, so a bug shows up as a failure and never as a hung run.
/// </summary>
internal static class Bounded
{
    /// <summary>How long any single wait may take before the test fails. Generous: the machine may be busy.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this ValueTask task) => task.AsTask().WaitAsync(Timeout);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);

    /// <summary>A token that fires after <see cref="Timeout"/>, for blocking calls that take one.</summary>
    public static CancellationTokenSource Deadline() => new(Timeout);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <see cref="Timeout"/>.</summary>
    public static async Task Eventually(Func<bool> condition, string what, int pollMilliseconds = 1)
    {
        long deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(pollMilliseconds);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a dedicated thread, so a test can see when it is parked
    /// (<see cref="BlockingCall.WaitUntilBlocked"/>) and thread-pool starvation on two cores
    /// cannot delay it.
    /// </summary>
    public static BlockingCall<T> OnThread<T>(Func<T> body) => new(body);

    /// <inheritdoc cref="OnThread{T}(Func{T})"/>
    public static BlockingCall<bool> OnThread(Action body) => new(() =>
    {
        body();
        return true;
    });
}

/// <summary>A blocking call running on its own thread; its outcome is a task.</summary>
internal sealed class BlockingCall<T>
{
    private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;

    public BlockingCall(Func<T> body)
    {
        _thread = new Thread(() =>
        {
            try
            {
                _outcome.SetResult(body());
            }
            catch (Exception e)
            {
                _outcome.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "Flow.Tests blocking call",
        };
        _thread.Start();
    }

    /// <summary>Completes with the call's result or exception.</summary>
    public Task<T> Task => _outcome.Task;

    /// <summary>
    /// Waits until the call's thread is parked in a wait (or finished). A thread found parked
    /// twice in a row, a few milliseconds apart, is blocked, not passing through a lock.
    /// </summary>
    public async Task WaitUntilBlocked()
    {
        int parkedInARow = 0;
        await Bounded.Eventually(
            () =>
            {
                if (_outcome.Task.IsCompleted)
                {
                    return true;
                }

                parkedInARow = (_thread.ThreadState & ThreadState.WaitSleepJoin) != 0 ? parkedInARow + 1 : 0;
                return parkedInARow >= 3;
            },
            "the blocking call is parked",
            pollMilliseconds: 2);
    }
}

/// <summary>A message that counts how often it was disposed.</summary>
internal sealed class Counted(int id) : IDisposable
{
    private int _disposals;

    public int Id { get; } = id;

    public int Disposals => Volatile.Read(ref _disposals);

    public void Dispose() => Interlocked.Increment(ref _disposals);

    public override string ToString() => $"Counted({Id}, disposed {Disposals}x)";
}
