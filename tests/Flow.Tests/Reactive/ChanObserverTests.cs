using System.Reactive.Linq;
using System.Reactive.Subjects;
using Flow.Reactive;

namespace Flow.Tests.Reactive;

/// <summary>
/// <c>chan.AsObserver()</c> and <c>sharedChan.AsObserver()</c>: <c>OnNext</c> sends (waiting while
/// a bounded chan is full), <c>OnCompleted</c> closes, <c>OnError</c> fails with the error itself;
/// for a shared chan only that handle ends.
/// </summary>
public class ChanObserverTests
{
    [Fact]
    public void AsObserver_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ((Chan<int>)null!).AsObserver());
        Assert.Throws<ArgumentNullException>(() => ((SharedChan<int>)null!).AsObserver());
    }

    [Fact]
    public void Chan_OnNextSends_OnCompletedCloses()
    {
        var (port, chan) = Chan.New<int>();

        using IDisposable subscription = Observable.Range(1, 5).Subscribe(chan.AsObserver());

        Assert.True(chan.IsClosed);
        Assert.Equal([1, 2, 3, 4, 5], port.Iter().ToArray());
        Assert.True(port.IsCompleted);
    }

    [Fact]
    public async Task Chan_OnError_FailsTheChan_WithTheErrorItself()
    {
        var (port, chan) = Chan.New<string>();
        var boom = new InsufficientExecutionStackException("source failed");

        using IDisposable subscription = Observable.Return("a").Concat(Observable.Throw<string>(boom)).Subscribe(chan.AsObserver());

        Assert.Equal("a", await port.RecvAsync().Within());
        var closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Same(boom, closed.InnerException);
        Assert.Same(boom, await Assert.ThrowsAsync<InsufficientExecutionStackException>(() => port.Completion.Within()));
    }

    [Fact]
    public async Task BoundedChan_OnNextWaitsWhileFull()
    {
        var (port, chan) = Chan.New<int>(1);
        var subject = new Subject<int>();
        using IDisposable subscription = subject.Subscribe(chan.AsObserver());
        subject.OnNext(1);

        BlockingCall<bool> second = Bounded.OnThread(() => subject.OnNext(2));
        await second.WaitUntilBlocked();
        Assert.False(second.Task.IsCompleted, "OnNext returned while the chan was full");

        Assert.Equal(1, await port.RecvAsync().Within());
        await second.Task.Within();
        Assert.Equal(2, await port.RecvAsync().Within());
    }

    [Fact]
    public void Chan_OnNextAfterThePortWasDisposed_ThrowsToTheProducer()
    {
        // Rx's convention: an observer's exception goes back to whoever called OnNext.
        var (port, chan) = Chan.New<int>();
        IObserver<int> observer = chan.AsObserver();
        port.Dispose();

        Assert.Throws<ChannelClosedException>(() => observer.OnNext(1));
    }

    [Fact]
    public async Task SharedChan_OnCompletedClosesOnlyThisHandle()
    {
        var (port, first) = SharedChan.New<int>();
        SharedChan<int> second = first.Clone();

        using IDisposable a = Observable.Range(0, 3).Subscribe(first.AsObserver());
        Assert.True(first.IsClosed);
        Assert.False(port.IsCompleted, "the other handle still sends");

        second.Send(10);
        second.Close();
        int[] all = [.. port.Iter()];
        Assert.Equal([0, 1, 2, 10], all);
        await port.Completion.Within();
    }

    [Fact]
    public async Task SharedChan_OnError_FailsThePort()
    {
        var (port, chan) = SharedChan.New<int>();
        var boom = new InvalidProgramException("source failed");

        using IDisposable subscription = Observable.Throw<int>(boom).Subscribe(chan.AsObserver());

        var closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Same(boom, closed.InnerException);
    }

    [Fact]
    public async Task PortToObservable_IntoAnotherChansObserver_CarriesMessagesCompletionAndOrder()
    {
        var (source, input) = Chan.New<int>(4);
        var (sink, output) = Chan.New<int>(4);
        using IDisposable bridge = source.ToObservable().Subscribe(output.AsObserver());

        BlockingCall<bool> producer = Bounded.OnThread(() =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                input.Send(i);
            }

            input.Close();
        });
        var received = new List<int>();
        await foreach (int m in sink.WithCancellation(Bounded.Deadline().Token))
        {
            received.Add(m);
        }

        await producer.Task.Within();
        Assert.Equal(Enumerable.Range(0, 1_000), received);
    }
}
