using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using static Flow.Tasks;

namespace Flow.Benchmarks.Tasks;

/// <summary>
/// A million tasks, each waiting to receive on its own channel, then all released. "Allocated" per
/// operation is what one waiting task costs (its task, its channel, its wakeup); the time is to
/// spawn them all and release them all.
/// </summary>
[BenchmarkCategory("tasks")]
[WarmupCount(1)]
[IterationCount(5)]
public class WaitingTaskBenchmarks
{
    public const int Tasks = 1_000_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Tasks)]
    public async Task TaskRunOnChannels()
    {
        var writers = new ChannelWriter<int>[Tasks];
        var waiting = new Task[Tasks];
        for (int i = 0; i < Tasks; i++)
        {
            var channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            writers[i] = channel.Writer;
            waiting[i] = Task.Run(async () => await channel.Reader.ReadAsync());
        }

        for (int i = 0; i < Tasks; i++)
        {
            writers[i].TryWrite(i);
        }

        await Task.WhenAll(waiting);
    }

    [Benchmark(OperationsPerInvoke = Tasks)]
    public async Task FlowSpawnOnPorts()
    {
        var chans = new Chan<int>[Tasks];
        var waiting = new JoinHandle[Tasks];
        for (int i = 0; i < Tasks; i++)
        {
            var (port, chan) = Chan.New<int>();
            chans[i] = chan;
            waiting[i] = Spawn(port, static async port => await port.RecvAsync());
        }

        for (int i = 0; i < Tasks; i++)
        {
            chans[i].Send(i);
        }

        foreach (JoinHandle handle in waiting)
        {
            await handle;
        }
    }
}
