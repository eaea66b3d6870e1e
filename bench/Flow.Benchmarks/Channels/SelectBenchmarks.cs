using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Channels;

/// <summary>
/// Select over four ports: four producers each send a quarter of <see cref="Messages"/> on their
/// own channel, and one consumer takes one message at a time from whichever channel has one.
/// Reported per message. Channels has no select: its equivalent is the usual idiom, a round-robin
/// TryRead over the four readers and, when all are empty, <see cref="Task.WhenAny(Task[])"/> over
/// their WaitToReadAsync. Dataflow's Choose takes at most three sources, so it has no peer here.
/// </summary>
[BenchmarkCategory("channels")]
public class SelectBenchmarks
{
    public const int Messages = 200_000;
    public const int Ports = 4;

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task Channels()
    {
        var readers = new ChannelReader<int>[Ports];
        var producers = new Task[Ports];
        for (int p = 0; p < Ports; p++)
        {
            // Several readers may wait at once (an abandoned WhenAny wait stays registered), so not SingleReader.
            var channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
            readers[p] = channel.Reader;
            producers[p] = Task.Run(() => Produce(channel.Writer));
        }

        var waits = new Task[Ports];
        int received = 0;
        int next = 0;
        while (received < Messages)
        {
            bool took = false;
            for (int k = 0; k < Ports; k++)
            {
                int index = (next + k) % Ports;
                if (readers[index].TryRead(out _))
                {
                    received++;
                    next = index + 1;
                    took = true;
                    break;
                }
            }

            if (!took)
            {
                for (int p = 0; p < Ports; p++)
                {
                    waits[p] = readers[p].WaitToReadAsync().AsTask();
                }

                await Task.WhenAny(waits);
            }
        }

        await Task.WhenAll(producers);

        static void Produce(ChannelWriter<int> writer)
        {
            for (int i = 0; i < Messages / Ports; i++)
            {
                writer.TryWrite(i);
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task Flow()
    {
        var ports = new Port<int>[Ports];
        var producers = new Task[Ports];
        for (int p = 0; p < Ports; p++)
        {
            var (port, chan) = Chan.New<int>();
            ports[p] = port;
            producers[p] = Task.Run(() => Produce(chan));
        }

        for (int received = 0; received < Messages; received++)
        {
            await Select.RecvAsync(ports);
        }

        await Task.WhenAll(producers);

        static void Produce(Chan<int> chan)
        {
            for (int i = 0; i < Messages / Ports; i++)
            {
                chan.Send(i);
            }
        }
    }
}
