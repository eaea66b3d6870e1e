using System.Globalization;
using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Pipelines;

/// <summary>
/// Three stages — parse (string → int), transform with parallelism 2, sink — over
/// <see cref="Items"/> lines; reported per item. The same network built by hand from Dataflow
/// blocks is the baseline; a hand-written System.Threading.Channels pipeline is the other peer.
/// </summary>
[BenchmarkCategory("pipelines")]
public class PipelineBenchmarks
{
    public const int Items = 200_000;

    private string[] _lines = [];

    [Params(true, false)]
    public bool Ordered { get; set; }

    [GlobalSetup]
    public void Setup() => _lines = Enumerable.Range(0, Items).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static long Transform(int x) => ((long)x * 31) ^ 7;

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public async Task<long> DataflowByHand()
    {
        long sum = 0;
        var parse = new TransformBlock<string, int>(s => int.Parse(s, CultureInfo.InvariantCulture));
        var transform = new TransformBlock<int, long>(Transform, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 2, EnsureOrdered = Ordered });
        var sink = new ActionBlock<long>(x => sum += x);
        var link = new DataflowLinkOptions { PropagateCompletion = true };
        parse.LinkTo(transform, link);
        transform.LinkTo(sink, link);
        foreach (string line in _lines)
        {
            parse.Post(line);
        }

        parse.Complete();
        await sink.Completion;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public async Task<long> FlowPipeline()
    {
        long sum = 0;
        Pipeline<string> pipeline = Pipeline.Create<string>()
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
            .Select(Transform, new StageOptions { Parallelism = 2, Ordered = Ordered })
            .ForEach(x => sum += x);
        foreach (string line in _lines)
        {
            pipeline.TrySend(line);
        }

        pipeline.Complete();
        await pipeline.Completion;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public async Task<long> ChannelsByHand()
    {
        var parsed = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
        var transformed = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
        Task parse = Task.Run(() =>
        {
            foreach (string line in _lines)
            {
                parsed.Writer.TryWrite(int.Parse(line, CultureInfo.InvariantCulture));
            }

            parsed.Writer.Complete();
        });

        // Two unordered workers: Channels has no ordered parallel stage, so this peer is the
        // unordered shape in both parameter rows.
        Task[] workers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await foreach (int x in parsed.Reader.ReadAllAsync())
            {
                transformed.Writer.TryWrite(Transform(x));
            }
        })).ToArray();
        _ = Task.WhenAll(workers).ContinueWith(_ => transformed.Writer.Complete(), TaskScheduler.Default);
        long sum = 0;
        await foreach (long x in transformed.Reader.ReadAllAsync())
        {
            sum += x;
        }

        await parse;
        return sum;
    }
}
