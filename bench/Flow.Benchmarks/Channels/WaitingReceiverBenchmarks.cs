using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Channels;

/// <summary>
/// Many tasks, each waiting on its own channel, then all released. "Allocated" per operation is
/// the memory one waiting receiver costs: its channel, its waiting async method and its wakeup.
/// </summary>
[BenchmarkCategory("channels")]
public class WaitingReceiverBenchmarks
{
    [Params(100_000)]
    public int Receivers { get; set; }

    [Benchmark(Baseline = true, OperationsPerInvoke = 100_000)]
    public async Task Channels()
    {
        var writers = new ChannelWriter<int>[Receivers];
        var waiting = new Task<int>[Receivers];
        for (int i = 0; i < Receivers; i++)
        {
            var channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            writers[i] = channel.Writer;
            waiting[i] = WaitOne(channel.Reader);
        }

        for (int i = 0; i < Receivers; i++)
        {
            writers[i].TryWrite(i);
        }

        await Task.WhenAll(waiting);

        static async Task<int> WaitOne(ChannelReader<int> reader) => await reader.ReadAsync();
    }

    [Benchmark(OperationsPerInvoke = 100_000)]
    public async Task Flow()
    {
        var chans = new Chan<int>[Receivers];
        var waiting = new Task<int>[Receivers];
        for (int i = 0; i < Receivers; i++)
        {
            var (port, chan) = Chan.New<int>();
            chans[i] = chan;
            waiting[i] = WaitOne(port);
        }

        for (int i = 0; i < Receivers; i++)
        {
            chans[i].Send(i);
        }

        await Task.WhenAll(waiting);

        static async Task<int> WaitOne(Port<int> port) => await port.RecvAsync();
    }

    [Benchmark(OperationsPerInvoke = 100_000)]
    public async Task BufferBlock()
    {
        var blocks = new BufferBlock<int>[Receivers];
        var waiting = new Task<int>[Receivers];
        for (int i = 0; i < Receivers; i++)
        {
            blocks[i] = new BufferBlock<int>();
            waiting[i] = WaitOne(blocks[i]);
        }

        for (int i = 0; i < Receivers; i++)
        {
            blocks[i].Post(i);
        }

        await Task.WhenAll(waiting);

        static async Task<int> WaitOne(BufferBlock<int> block) => await block.ReceiveAsync();
    }
}
