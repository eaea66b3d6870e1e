using BenchmarkDotNet.Attributes;
using static Flow.Tasks;

namespace Flow.Benchmarks.Tasks;

/// <summary>
/// Skynet: a million tasks in a 10-ary tree, each leaf sending its id up through a channel and each
/// inner node summing its ten children. Proto.Actor publishes 0.5–0.7 s for it.
/// </summary>
[BenchmarkCategory("tasks")]
[WarmupCount(1)]
[IterationCount(5)]
public class SkynetBenchmarks
{
    public const long Expected = 499_999_500_000;

    [Benchmark(Baseline = true)]
    public async Task<long> TaskBased()
    {
        long sum = await Node(0, 1_000_000);
        return sum == Expected ? sum : throw new InvalidOperationException($"Skynet summed {sum}.");

        static async Task<long> Node(long num, long size)
        {
            if (size == 1)
            {
                return num;
            }

            long childSize = size / 10;
            var children = new Task<long>[10];
            for (int i = 0; i < 10; i++)
            {
                long childNum = num + (i * childSize);
                children[i] = Task.Run(() => Node(childNum, childSize));
            }

            long sum = 0;
            foreach (Task<long> child in children)
            {
                sum += await child;
            }

            return sum;
        }
    }

    [Benchmark]
    public async Task<long> FlowChans()
    {
        var (port, chan) = SharedChan.New<long>();
        _ = Spawn((chan, 0L, 1_000_000L), static s => Node(s.Item1, s.Item2, s.Item3));
        long sum = await port.RecvAsync();
        return sum == Expected ? sum : throw new InvalidOperationException($"Skynet summed {sum}.");

        // Each task owns its handle to the parent's channel; the spawn closes it when the task ends.
        static async Task Node(SharedChan<long> parent, long num, long size)
        {
            if (size == 1)
            {
                parent.Send(num);
                return;
            }

            long childSize = size / 10;
            var (port, chan) = SharedChan.New<long>();
            for (int i = 0; i < 10; i++)
            {
                _ = Spawn((chan.Clone(), num + (i * childSize), childSize), static s => Node(s.Item1, s.Item2, s.Item3));
            }

            chan.Close();
            long sum = 0;
            for (int i = 0; i < 10; i++)
            {
                sum += await port.RecvAsync();
            }

            parent.Send(sum);
        }
    }
}
