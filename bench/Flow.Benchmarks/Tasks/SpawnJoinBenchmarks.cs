using BenchmarkDotNet.Attributes;
using static Flow.Tasks;

namespace Flow.Benchmarks.Tasks;

/// <summary>Spawn a task with an empty body and wait for it, one at a time; reported per task.</summary>
[BenchmarkCategory("tasks")]
public class SpawnJoinBenchmarks
{
    public const int Count = 10_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public async Task TaskRun()
    {
        for (int i = 0; i < Count; i++)
        {
            await Task.Run(static () => { });
        }
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public async Task FlowSpawn()
    {
        for (int i = 0; i < Count; i++)
        {
            await Spawn(static () => { });
        }
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public async Task FlowSpawnJoinAsync()
    {
        for (int i = 0; i < Count; i++)
        {
            await Spawn(static () => { }).JoinAsync();
        }
    }
}
