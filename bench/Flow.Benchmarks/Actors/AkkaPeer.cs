using Akka.Actor;
using Akka.Configuration;

namespace Flow.Benchmarks.Actors;

/// <summary>
/// Akka.NET with its default dispatcher: one actor system per benchmark process, actors spawned
/// once and reused by every invocation. Messages are preallocated objects, so the only per-message
/// cost is the library's own (Tell takes <see cref="object"/>; an int would be boxed).
/// </summary>
public sealed class AkkaPeer : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _pinger;
    private readonly IActorRef _counter;

    public AkkaPeer()
    {
        // Quiet: no startup banner, no dead-letter logging, nothing but warnings on stdout.
        Config config = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            akka.log-dead-letters-during-shutdown = off
            """);
        _system = ActorSystem.Create("flow-bench", config);
        IActorRef ponger = _system.ActorOf(Props.Create<Ponger>(), "ponger");
        _pinger = _system.ActorOf(Props.Create(() => new Pinger(ponger)), "pinger");
        _counter = _system.ActorOf(Props.Create<Counter>(), "counter");
    }

    /// <summary><paramref name="roundTrips"/> round trips between two actors: the pinger tells, the ponger replies to its sender.</summary>
    public Task PingPong(int roundTrips)
    {
        var start = new Start(roundTrips);
        _pinger.Tell(start, ActorRefs.NoSender);
        return start.Done.Task;
    }

    /// <summary>The calling thread tells <paramref name="messages"/> messages to one actor, which counts them.</summary>
    public Task OneWay(int messages)
    {
        var start = new Start(messages);
        IActorRef counter = _counter;
        counter.Tell(start, ActorRefs.NoSender);
        for (int i = 0; i < messages; i++)
        {
            counter.Tell(Tick.Instance, ActorRefs.NoSender);
        }

        return start.Done.Task;
    }

    public async ValueTask DisposeAsync() => await _system.Terminate().ConfigureAwait(false);

    private sealed class Start(int count)
    {
        public int Count { get; } = count;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed class Pinger(IActorRef ponger) : UntypedActor
    {
        private Start? _start;
        private int _left;

        protected override void OnReceive(object message)
        {
            if (ReferenceEquals(message, Tick.Instance))
            {
                if (--_left == 0)
                {
                    _start!.Done.SetResult();
                }
                else
                {
                    ponger.Tell(Tick.Instance, Self);
                }
            }
            else if (message is Start start)
            {
                _start = start;
                _left = start.Count;
                ponger.Tell(Tick.Instance, Self);
            }
        }
    }

    private sealed class Ponger : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }

    private sealed class Counter : UntypedActor
    {
        private Start? _start;
        private int _left;

        protected override void OnReceive(object message)
        {
            if (ReferenceEquals(message, Tick.Instance))
            {
                if (--_left == 0)
                {
                    _start!.Done.SetResult();
                }
            }
            else if (message is Start start)
            {
                _start = start;
                _left = start.Count;
            }
        }
    }
}
