using Proto;

namespace Flow.Benchmarks.Actors;

/// <summary>
/// Proto.Actor with its default dispatcher: one actor system per benchmark process, actors spawned
/// once and reused by every invocation. Messages are preallocated objects, and the ping carries
/// the pid to reply to (the idiom of Proto.Actor's own in-process benchmark), so no request
/// envelope is allocated per message.
/// </summary>
public sealed class ProtoActorPeer : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly PID _pinger;
    private readonly PID _counter;

    public ProtoActorPeer()
    {
        _system = new ActorSystem();
        PID ponger = _system.Root.Spawn(Props.FromProducer(() => new Ponger()));
        _pinger = _system.Root.Spawn(Props.FromProducer(() => new Pinger(ponger)));
        _counter = _system.Root.Spawn(Props.FromProducer(() => new Counter()));
    }

    /// <summary><paramref name="roundTrips"/> round trips between two actors: the pinger sends a ping carrying its pid, the ponger sends it back.</summary>
    public Task PingPong(int roundTrips)
    {
        var start = new Start(roundTrips);
        _system.Root.Send(_pinger, start);
        return start.Done.Task;
    }

    /// <summary>The calling thread sends <paramref name="messages"/> messages to one actor, which counts them.</summary>
    public Task OneWay(int messages)
    {
        var start = new Start(messages);
        IRootContext root = _system.Root;
        PID counter = _counter;
        root.Send(counter, start);
        for (int i = 0; i < messages; i++)
        {
            root.Send(counter, Tick.Instance);
        }

        return start.Done.Task;
    }

    public async ValueTask DisposeAsync() => await _system.ShutdownAsync().ConfigureAwait(false);

    private sealed class Start(int count)
    {
        public int Count { get; } = count;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed class Ping(PID replyTo)
    {
        public PID ReplyTo { get; } = replyTo;
    }

    private sealed class Pinger(PID ponger) : IActor
    {
        private Start? _start;
        private Ping? _ping;
        private int _left;

        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Ping)
            {
                if (--_left == 0)
                {
                    _start!.Done.SetResult();
                }
                else
                {
                    context.Send(ponger, _ping!);
                }
            }
            else if (context.Message is Start start)
            {
                _start = start;
                _left = start.Count;
                _ping ??= new Ping(context.Self);
                context.Send(ponger, _ping);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Ponger : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Ping ping)
            {
                context.Send(ping.ReplyTo, ping);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Counter : IActor
    {
        private Start? _start;
        private int _left;

        public Task ReceiveAsync(IContext context)
        {
            if (ReferenceEquals(context.Message, Tick.Instance))
            {
                if (--_left == 0)
                {
                    _start!.Done.SetResult();
                }
            }
            else if (context.Message is Start start)
            {
                _start = start;
                _left = start.Count;
            }

            return Task.CompletedTask;
        }
    }
}
