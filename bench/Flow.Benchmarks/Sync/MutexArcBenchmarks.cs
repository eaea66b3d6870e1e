using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Sync;

/// <summary>
/// One thread taking the lock, adding one and leaving, with nobody else around: the price of the
/// uncontended path. Reported per access; a plain <c>lock</c> is the floor, <see cref="SemaphoreSlim"/>
/// the usual async-capable peer.
/// </summary>
[BenchmarkCategory("sync")]
public class MutexArcBenchmarks
{
    public const int Accesses = 1_000;

    private readonly object _gate = new();
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly MutexArc<Counter> _arc = MutexArc.New(new Counter());
    private int _value;

    [Benchmark(Baseline = true, OperationsPerInvoke = Accesses)]
    public int Lock()
    {
        int last = 0;
        for (int i = 0; i < Accesses; i++)
        {
            lock (_gate)
            {
                last = ++_value;
            }
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = Accesses)]
    public int MutexArcAccess()
    {
        int last = 0;
        for (int i = 0; i < Accesses; i++)
        {
            last = _arc.Access(static c => ++c.Value);
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = Accesses)]
    public async Task<int> MutexArcAccessAsync()
    {
        int last = 0;
        for (int i = 0; i < Accesses; i++)
        {
            last = await _arc.AccessAsync(static c => ++c.Value);
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = Accesses)]
    public async Task<int> SemaphoreSlimWaitAsync()
    {
        int last = 0;
        for (int i = 0; i < Accesses; i++)
        {
            await _semaphore.WaitAsync();
            try
            {
                last = ++_value;
            }
            finally
            {
                _semaphore.Release();
            }
        }

        return last;
    }

    private sealed class Counter
    {
        public int Value;
    }
}
