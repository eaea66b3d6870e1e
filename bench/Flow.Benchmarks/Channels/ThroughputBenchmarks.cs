using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Channels;

/// <summary>
/// One producer (or four) and one consumer moving <see cref="Messages"/> ints, each library with
/// the same options and the same idiom: the producer writes in a loop, the consumer waits for
/// data and then drains what is there. Reported per message.
/// </summary>
[BenchmarkCategory("channels")]
public class ThroughputBenchmarks
{
    public const int Messages = 1_000_000;

    [Params(Scenario.Spsc, Scenario.Mpsc4, Scenario.Bounded1024)]
    public Scenario Case { get; set; }

    private int Producers => Case == Scenario.Mpsc4 ? 4 : 1;

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task Channels()
    {
        Channel<int> channel = Case == Scenario.Bounded1024
            ? Channel.CreateBounded<int>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true })
            : Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = Producers == 1 });
        var producers = new Task[Producers];
        int share = Messages / Producers;
        for (int p = 0; p < producers.Length; p++)
        {
            producers[p] = Task.Run(async () =>
            {
                ChannelWriter<int> writer = channel.Writer;
                for (int i = 0; i < share; i++)
                {
                    if (!writer.TryWrite(i))
                    {
                        await writer.WriteAsync(i);
                    }
                }
            });
        }

        Task completer = Task.WhenAll(producers).ContinueWith(_ => channel.Writer.Complete(), TaskScheduler.Default);
        ChannelReader<int> reader = channel.Reader;
        int received = 0;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out _))
            {
                received++;
            }
        }

        await completer;
        Check(received);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task Flow()
    {
        var (port, first) = Case == Scenario.Bounded1024 ? SharedChan.New<int>(1024) : SharedChan.New<int>();
        var producers = new Task[Producers];
        int share = Messages / Producers;
        for (int p = 0; p < producers.Length; p++)
        {
            SharedChan<int> chan = first.Clone();
            producers[p] = Task.Run(async () =>
            {
                for (int i = 0; i < share; i++)
                {
                    if (!chan.TrySend(i))
                    {
                        await chan.SendAsync(i);
                    }
                }

                chan.Close();
            });
        }

        first.Close();
        int received = 0;
        while (await port.WaitToRecvAsync())
        {
            while (port.TryRecv(out _))
            {
                received++;
            }
        }

        await Task.WhenAll(producers);
        Check(received);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task BufferBlock()
    {
        var block = new BufferBlock<int>(Case == Scenario.Bounded1024
            ? new DataflowBlockOptions { BoundedCapacity = 1024 }
            : new DataflowBlockOptions());
        var producers = new Task[Producers];
        int share = Messages / Producers;
        for (int p = 0; p < producers.Length; p++)
        {
            producers[p] = Task.Run(async () =>
            {
                for (int i = 0; i < share; i++)
                {
                    if (!block.Post(i))
                    {
                        await block.SendAsync(i);
                    }
                }
            });
        }

        Task completer = Task.WhenAll(producers).ContinueWith(_ => block.Complete(), TaskScheduler.Default);
        int received = 0;
        while (await block.OutputAvailableAsync())
        {
            while (block.TryReceive(out _))
            {
                received++;
            }
        }

        await completer;
        Check(received);
    }

    private static void Check(int received)
    {
        if (received != Messages)
        {
            throw new InvalidOperationException($"Lost messages: {received} of {Messages}.");
        }
    }

    public enum Scenario
    {
        Spsc,
        Mpsc4,
        Bounded1024,
    }
}
