using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Channels;

/// <summary>
/// Throughput against the number of producers: 1, 2, 4, 8 or 16 tasks share <see cref="Messages"/>
/// ints into one unbounded channel drained by one consumer (wait, then drain what is there).
/// Reported per message; the report draws it as throughput against producers.
/// </summary>
[BenchmarkCategory("channels")]
public class ProducerScalingBenchmarks
{
    public const int Messages = 1_000_000;

    [Params(1, 2, 4, 8, 16)]
    public int Producers { get; set; }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task Channels()
    {
        var channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = Producers == 1 });
        var producers = new Task[Producers];
        int share = Messages / Producers;
        for (int p = 0; p < producers.Length; p++)
        {
            producers[p] = Task.Run(() =>
            {
                ChannelWriter<int> writer = channel.Writer;
                for (int i = 0; i < share; i++)
                {
                    writer.TryWrite(i);
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
        var (port, first) = SharedChan.New<int>();
        var producers = new Task[Producers];
        int share = Messages / Producers;
        for (int p = 0; p < producers.Length; p++)
        {
            SharedChan<int> chan = first.Clone();
            producers[p] = Task.Run(() =>
            {
                for (int i = 0; i < share; i++)
                {
                    chan.Send(i);
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

    private static void Check(int received)
    {
        if (received != Messages)
        {
            throw new InvalidOperationException($"Lost messages: {received} of {Messages}.");
        }
    }
}
