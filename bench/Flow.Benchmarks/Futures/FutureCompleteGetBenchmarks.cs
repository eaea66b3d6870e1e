using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Futures;

/// <summary>
/// The one-shot value's whole life on one thread: create it, complete it, read it. Reported per
/// value. <see cref="TaskCompletionSource{TResult}"/> is the floor; <see cref="WriteOnceBlock{T}"/>
/// is what Future keeps the semantics of (one value, many readers, linkable) without its cost.
/// </summary>
[BenchmarkCategory("futures")]
public class FutureCompleteGetBenchmarks
{
    public const int Values = 1_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Values)]
    public long TaskCompletionSource()
    {
        long sum = 0;
        for (int i = 0; i < Values; i++)
        {
            var source = new TaskCompletionSource<int>();
            source.SetResult(i);
            sum += source.Task.GetAwaiter().GetResult();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Values)]
    public long FlowFuture()
    {
        long sum = 0;
        for (int i = 0; i < Values; i++)
        {
            var (future, promise) = Future.New<int>();
            promise.Complete(i);
            sum += future.Get();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Values)]
    public long WriteOnceBlock()
    {
        long sum = 0;
        for (int i = 0; i < Values; i++)
        {
            var block = new WriteOnceBlock<int>(cloningFunction: null);
            block.Post(i);
            sum += block.Receive();
        }

        return sum;
    }
}
