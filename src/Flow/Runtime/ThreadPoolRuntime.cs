namespace Flow;

/// <summary>The production runtime: the .NET thread pool, the system clock and a per-thread PRNG.</summary>
internal sealed class ThreadPoolRuntime : FlowRuntime
{
    public static readonly ThreadPoolRuntime Instance = new();

    [ThreadStatic]
    private static ulong t_random;

    private ThreadPoolRuntime()
    {
    }

    public override TimeProvider Time => TimeProvider.System;

    // The global queue, as System.Threading.Channels does: the thread that wakes a waiter usually
    // goes on running (a producer in a loop), and a continuation queued locally behind it would wait
    // until another thread steals it.
    public override void Schedule(IThreadPoolWorkItem work) => ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);

    // A spawned task goes to the spawner's local queue, as Task.Run does: a spawner that then
    // awaits or joins frees its thread for it, so spawn-then-wait stays on one warm core.
    public override void Start(IThreadPoolWorkItem task) => ThreadPool.UnsafeQueueUserWorkItem(task, preferLocal: true);

    public override void Schedule(Action<object?> callback, object? state) => ThreadPool.UnsafeQueueUserWorkItem(callback, state, preferLocal: false);

    public override void Resume(Action<object?> continuation, object? state) => continuation(state);

    public override int NextRandom(int exclusiveMax)
    {
        // xorshift64*: fast, good enough for fair selection, no shared state between threads.
        ulong x = t_random;
        if (x == 0)
        {
            x = (ulong)Environment.CurrentManagedThreadId * 0x9E3779B97F4A7C15UL ^ (ulong)Environment.TickCount64 | 1UL;
        }

        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        t_random = x;
        return (int)(((x * 0x2545F4914F6CDD1DUL) >> 32) * (ulong)exclusiveMax >> 32);
    }
}
