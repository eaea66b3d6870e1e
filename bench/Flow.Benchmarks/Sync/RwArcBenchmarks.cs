using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Sync;

/// <summary>
/// One thread taking the read lock, reading and leaving, with nobody else around: the price of the
/// uncontended read path. Reported per read; <see cref="ReaderWriterLockSlim"/> is the baseline.
/// </summary>
[BenchmarkCategory("sync")]
public class RwArcBenchmarks
{
    public const int Reads = 1_000;

    private readonly ReaderWriterLockSlim _rwLock = new();
    private readonly RwArc<Box> _arc = RwArc.New(new Box { Value = 1 });
    private readonly Box _box = new() { Value = 1 };

    [Benchmark(Baseline = true, OperationsPerInvoke = Reads)]
    public long ReaderWriterLockSlimRead()
    {
        long sum = 0;
        for (int i = 0; i < Reads; i++)
        {
            _rwLock.EnterReadLock();
            try
            {
                sum += _box.Value;
            }
            finally
            {
                _rwLock.ExitReadLock();
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Reads)]
    public long RwArcRead()
    {
        long sum = 0;
        for (int i = 0; i < Reads; i++)
        {
            sum += _arc.Read(static b => b.Value);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Reads)]
    public async Task<long> RwArcReadAsync()
    {
        long sum = 0;
        for (int i = 0; i < Reads; i++)
        {
            sum += await _arc.ReadAsync(static b => b.Value);
        }

        return sum;
    }

    private sealed class Box
    {
        public int Value;
    }
}
