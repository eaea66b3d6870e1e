using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Actors;

/// <summary>
/// One-way messaging: one sender (the benchmark thread) sends <see cref="Messages"/> messages to
/// one receiver that counts them, and the run ends when the count is reached. For the actor
/// libraries the receiver is an actor and the send is a tell; for Flow and Channels it is a task
/// waiting on a channel and draining what is there. Reported per message.
/// </summary>
[BenchmarkCategory("actors")]
public class OneWayBenchmarks
{
    public const int Messages = 1_000_000;

    private AkkaPeer? _akka;
    private ProtoActorPeer? _proto;

    [GlobalSetup(Target = nameof(Akka))]
    public void SetupAkka() => _akka = new AkkaPeer();

    [GlobalCleanup(Target = nameof(Akka))]
    public void CleanupAkka() => _akka!.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [GlobalSetup(Target = nameof(ProtoActor))]
    public void SetupProto() => _proto = new ProtoActorPeer();

    [GlobalCleanup(Target = nameof(ProtoActor))]
    public void CleanupProto() => _proto!.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task Channels()
    {
        var channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        ChannelReader<int> reader = channel.Reader;
        Task<int> counter = Task.Run(async () =>
        {
            int received = 0;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out _))
                {
                    received++;
                }
            }

            return received;
        });
        ChannelWriter<int> writer = channel.Writer;
        for (int i = 0; i < Messages; i++)
        {
            writer.TryWrite(i);
        }

        writer.Complete();
        Check(await counter);
    }

    /// <summary>Flow's single-sender channel (SPSC).</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task FlowChan()
    {
        var (port, chan) = Chan.New<int>();
        Task<int> counter = Task.Run(() => Count(port));
        for (int i = 0; i < Messages; i++)
        {
            chan.Send(i);
        }

        chan.Close();
        Check(await counter);
    }

    /// <summary>Flow's many-sender channel (MPSC, the shape of an actor's mailbox), with one sender here.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task FlowSharedChan()
    {
        var (port, chan) = SharedChan.New<int>();
        Task<int> counter = Task.Run(() => Count(port));
        for (int i = 0; i < Messages; i++)
        {
            chan.Send(i);
        }

        chan.Close();
        Check(await counter);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Akka() => _akka!.OneWay(Messages);

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task ProtoActor() => _proto!.OneWay(Messages);

    private static async Task<int> Count(Port<int> port)
    {
        int received = 0;
        while (await port.WaitToRecvAsync())
        {
            while (port.TryRecv(out _))
            {
                received++;
            }
        }

        return received;
    }

    private static void Check(int received)
    {
        if (received != Messages)
        {
            throw new InvalidOperationException($"Lost messages: {received} of {Messages}.");
        }
    }
}
