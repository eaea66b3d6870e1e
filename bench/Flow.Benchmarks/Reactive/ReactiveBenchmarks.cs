using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using Flow.Reactive;

namespace Flow.Benchmarks.Reactive;

/// <summary>
/// <see cref="Messages"/> ints through each Rx bridge, against a plain <see cref="Subject{T}"/>
/// subscription in the same run. Reported per message.
/// </summary>
/// <remarks>
/// The baseline calls the observer inline on the producing thread: it is the floor, not a peer.
/// <c>ObserveOn</c> is Rx's own way to cross to another thread (a queue and a drain loop on the
/// task pool), the fair comparison for the bridges, which each cross a Flow chan: the producer
/// writes on one thread, the consumer takes on another.
/// </remarks>
[BenchmarkCategory("reactive")]
public class ReactiveBenchmarks
{
    public const int Messages = 100_000;

    /// <summary>The capacity of the bounded ports, as in the channel throughput benchmarks.</summary>
    public const int Capacity = 1024;

    /// <summary>A plain subject: <c>OnNext</c> straight into the observer, on the producer's thread.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public int Subject()
    {
        var subject = new Subject<int>();
        var observer = new CountingObserver();
        using (subject.Subscribe(observer))
        {
            for (int i = 0; i < Messages; i++)
            {
                subject.OnNext(i);
            }

            subject.OnCompleted();
        }

        return Check(observer.Count);
    }

    /// <summary>A subject observed on the task pool: Rx's own thread hop.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<int> SubjectObserveOn()
    {
        var subject = new Subject<int>();
        var observer = new CountingObserver();
        using (subject.ObserveOn(TaskPoolScheduler.Default).Subscribe(observer))
        {
            for (int i = 0; i < Messages; i++)
            {
                subject.OnNext(i);
            }

            subject.OnCompleted();
            await observer.Completed;
        }

        return Check(observer.Count);
    }

    /// <summary><c>port.ToObservable()</c>: a producer task fills a bounded chan, the subscription's pump notifies.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<int> PortToObservable()
    {
        var (port, chan) = Chan.New<int>(Capacity);
        var observer = new CountingObserver();
        using (port.ToObservable().Subscribe(observer))
        {
            Task producer = Task.Run(async () =>
            {
                for (int i = 0; i < Messages; i++)
                {
                    if (!chan.TrySend(i))
                    {
                        await chan.SendAsync(i);
                    }
                }

                chan.Close();
            });
            await observer.Completed;
            await producer;
        }

        return Check(observer.Count);
    }

    /// <summary><c>observable.ToPort(capacity, Block)</c>: a subject fed on another thread, the port drained as in the channel benchmarks.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task<int> ObservableToPort()
    {
        var subject = new Subject<int>();
        using ObservablePort<int> observed = subject.ToPort(Capacity, BackpressurePolicy.Block);
        Port<int> port = observed.Port;
        Task producer = Task.Run(() =>
        {
            for (int i = 0; i < Messages; i++)
            {
                subject.OnNext(i);
            }

            subject.OnCompleted();
        });

        int received = 0;
        while (await port.WaitToRecvAsync())
        {
            while (port.TryRecv(out _))
            {
                received++;
            }
        }

        await producer;
        return Check(received);
    }

    private static int Check(int received) =>
        received == Messages ? received : throw new InvalidOperationException($"Lost messages: {received} of {Messages}.");

    /// <summary>Counts what it is told and completes at the end; notifications are serialized, so a plain field is enough.</summary>
    private sealed class CountingObserver : IObserver<int>
    {
        private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; private set; }

        public Task Completed => _completed.Task;

        public void OnNext(int value) => Count++;

        public void OnError(Exception error) => _completed.TrySetException(error);

        public void OnCompleted() => _completed.TrySetResult();
    }
}
