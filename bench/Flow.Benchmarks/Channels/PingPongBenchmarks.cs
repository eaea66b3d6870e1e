using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;
using Flow.Benchmarks.Actors;

namespace Flow.Benchmarks.Channels;

/// <summary>
/// Two tasks bounce one message back and forth through two channels; reported per round trip.
/// Every receive waits, so this measures the cost of parking and resuming a receiver. The actor
/// libraries play the same game between two actors (the pinger tells, the ponger replies).
/// </summary>
[BenchmarkCategory("channels")]
public class PingPongBenchmarks
{
    public const int RoundTrips = 20_000;

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

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public async Task Channels()
    {
        var ping = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pong = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task echo = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                pong.Writer.TryWrite(await ping.Reader.ReadAsync());
            }
        });
        for (int i = 0; i < RoundTrips; i++)
        {
            ping.Writer.TryWrite(i);
            await pong.Reader.ReadAsync();
        }

        await echo;
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public async Task Flow()
    {
        var (pingPort, pingChan) = Chan.New<int>();
        var (pongPort, pongChan) = Chan.New<int>();
        Task echo = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                pongChan.Send(await pingPort.RecvAsync());
            }
        });
        for (int i = 0; i < RoundTrips; i++)
        {
            pingChan.Send(i);
            await pongPort.RecvAsync();
        }

        await echo;
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public async Task FlowRendezvous()
    {
        var (pingPort, pingChan) = Chan.New<int>(0);
        var (pongPort, pongChan) = Chan.New<int>(0);
        Task echo = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                await pongChan.SendAsync(await pingPort.RecvAsync());
            }
        });
        for (int i = 0; i < RoundTrips; i++)
        {
            await pingChan.SendAsync(i);
            await pongPort.RecvAsync();
        }

        await echo;
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public async Task BufferBlock()
    {
        var ping = new BufferBlock<int>();
        var pong = new BufferBlock<int>();
        Task echo = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                pong.Post(await ping.ReceiveAsync());
            }
        });
        for (int i = 0; i < RoundTrips; i++)
        {
            ping.Post(i);
            await pong.ReceiveAsync();
        }

        await echo;
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public Task Akka() => _akka!.PingPong(RoundTrips);

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public Task ProtoActor() => _proto!.PingPong(RoundTrips);
}
