using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Flow.Reactive;

namespace Flow.Tests.Reactive;

/// <summary>
/// <c>port.ToObservable()</c>: each message an <c>OnNext</c>, a clean close <c>OnCompleted</c>, a
/// failed sender <c>OnError</c> with its own exception; cold, one active subscription per port;
/// unsubscribing stops taking messages and gives the port back to its next receiver, losing none.
/// </summary>
public class PortObservableTests
{
    [Fact]
    public void ToObservable_NullPort_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ((Port<int>)null!).ToObservable());
    }

    [Fact]
    public async Task Subscribe_EachMessageIsOnNext_InOrder_ThenOnCompletedAtClose()
    {
        var (port, chan) = Chan.New<int>();
        var recorder = new Recorder<int>();

        using IDisposable subscription = port.ToObservable().Subscribe(recorder);
        for (int i = 0; i < 100; i++)
        {
            chan.Send(i);
        }

        chan.Close();
        await recorder.WaitForEnd();

        Assert.True(recorder.IsCompleted);
        Assert.Null(recorder.Error);
        Assert.Equal(Enumerable.Range(0, 100), recorder.Values);
    }

    [Fact]
    public async Task Subscribe_IsCold_MessagesSentBeforeSubscribingAreDelivered()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(1);
        chan.Send(2);
        chan.Close();
        IObservable<int> observable = port.ToObservable();

        // Nothing is taken until someone subscribes.
        Assert.Equal(2, port.Count);

        int[] all = await observable.ToArray().ToTask().Within();
        Assert.Equal([1, 2], all);
    }

    [Fact]
    public async Task Subscribe_FailedSender_IsOnError_WithTheSendersExceptionItself()
    {
        var (port, chan) = Chan.New<string>();
        var recorder = new Recorder<string>();
        var boom = new InvalidTimeZoneException("sender failed");

        using IDisposable subscription = port.ToObservable().Subscribe(recorder);
        chan.Send("a");
        chan.Fail(boom);
        await recorder.WaitForEnd();

        Assert.Equal(["a"], recorder.Values);
        Assert.Same(boom, recorder.Error);
        Assert.False(recorder.IsCompleted);
    }

    [Fact]
    public async Task Subscribe_ClosedEmptyPort_CompletesAtOnce()
    {
        var (port, chan) = Chan.New<int>(4);
        chan.Close();

        Assert.Empty(await port.ToObservable().ToArray().ToTask().Within());
    }

    [Fact]
    public async Task Subscribe_NotificationsAreSerialized_UnderAFastProducer()
    {
        var (port, chan) = Chan.New<int>(8);
        var recorder = new Recorder<int>();
        using IDisposable subscription = port.ToObservable().Subscribe(recorder);

        BlockingCall<bool> producer = Bounded.OnThread(() =>
        {
            for (int i = 0; i < 5_000; i++)
            {
                chan.Send(i);
            }

            chan.Close();
        });
        await producer.Task.Within();
        await recorder.WaitForEnd();

        Assert.Equal(Enumerable.Range(0, 5_000), recorder.Values);
    }

    [Fact]
    public async Task Dispose_StopsTakingMessages_AndTheNextDirectRecvAsyncGetsTheNextOne()
    {
        var (port, chan) = Chan.New<int>();
        var recorder = new Recorder<int>();
        IDisposable subscription = port.ToObservable().Subscribe(recorder);
        chan.Send(1);
        chan.Send(2);
        await recorder.WaitForCount(2);

        // The pump now waits on the empty port; unsubscribing must hand the port back at once.
        subscription.Dispose();
        ValueTask<int> next = port.RecvAsync();
        chan.Send(3);
        chan.Send(4);

        Assert.Equal(3, await next.Within());
        Assert.Equal(4, await port.RecvAsync().Within());
        Assert.Equal([1, 2], recorder.Values);
        Assert.False(recorder.Ended.IsCompleted, "an unsubscribed observer gets no terminal notification");
    }

    [Fact]
    public async Task Dispose_Repeated_TheNextReceiverNeverFindsThePortBusy()
    {
        // The hand-back raced: unsubscribe, then receive at once, many times over.
        var (port, chan) = Chan.New<int>();
        for (int i = 0; i < 100; i++)
        {
            var recorder = new Recorder<int>();
            IDisposable subscription = port.ToObservable().Subscribe(recorder);
            chan.Send(2 * i);
            await recorder.WaitForCount(1);
            subscription.Dispose();

            ValueTask<int> direct = port.RecvAsync();
            chan.Send((2 * i) + 1);
            Assert.Equal((2 * i) + 1, await direct.Within());
            Assert.Equal([2 * i], recorder.Values);
        }
    }

    [Fact]
    public async Task Dispose_DuringOnNext_TheRestStaysInThePort_NoneLost()
    {
        var (port, chan) = Chan.New<int>();
        using var inOnNext = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var recorder = new Recorder<int>(_ =>
        {
            inOnNext.Set();
            Assert.True(release.Wait(Bounded.Timeout));
        });
        for (int i = 1; i <= 5; i++)
        {
            chan.Send(i);
        }

        IDisposable subscription = port.ToObservable().Subscribe(recorder);
        Assert.True(inOnNext.Wait(Bounded.Timeout));

        // Message 1 is in OnNext; the subscription ends before the pump takes message 2.
        subscription.Dispose();
        release.Set();
        chan.Close();

        var rest = new List<int>();
        await foreach (int m in port.WithCancellation(Bounded.Deadline().Token))
        {
            rest.Add(m);
        }

        Assert.Equal([1], recorder.Values);
        Assert.Equal([2, 3, 4, 5], rest);
    }

    [Fact]
    public async Task Resubscribe_AfterDispose_GoesOnWithTheMessagesLeft()
    {
        var (port, chan) = Chan.New<int>();
        IObservable<int> observable = port.ToObservable();
        var first = new Recorder<int>();
        IDisposable subscription = observable.Subscribe(first);
        chan.Send(1);
        await first.WaitForCount(1);
        subscription.Dispose();

        chan.Send(2);
        chan.Send(3);
        chan.Close();
        var second = new Recorder<int>();
        using IDisposable again = observable.Subscribe(second);
        await second.WaitForEnd();

        Assert.Equal([1], first.Values);
        Assert.Equal([2, 3], second.Values);
        Assert.True(second.IsCompleted);
    }

    [Fact]
    public async Task SecondConcurrentSubscription_GetsOnErrorInvalidOperation_AndTheFirstGoesOn()
    {
        var (port, chan) = Chan.New<int>();
        var first = new Recorder<int>();
        var second = new Recorder<int>();
        var third = new Recorder<int>();

        using IDisposable one = port.ToObservable().Subscribe(first);
        using IDisposable two = port.ToObservable().Subscribe(second);

        // The same observable object is refused too: the guard is per port.
        IObservable<int> shared = port.ToObservable();
        using IDisposable three = shared.Subscribe(third);

        await second.WaitForEnd();
        await third.WaitForEnd();
        Assert.IsType<InvalidOperationException>(second.Error);
        Assert.IsType<InvalidOperationException>(third.Error);

        chan.Send(7);
        chan.Close();
        await first.WaitForEnd();
        Assert.Equal([7], first.Values);
        Assert.True(first.IsCompleted);
        Assert.Empty(second.Values);
    }

    [Fact]
    public async Task Subscribe_AfterTheStreamEnded_APortCanBeSubscribedAgain_AndCompletesAtOnce()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(1);
        chan.Close();

        int[] first = await port.ToObservable().ToArray().ToTask().Within();
        int[] second = await port.ToObservable().ToArray().ToTask().Within();

        Assert.Equal([1], first);
        Assert.Empty(second);
    }

    [Fact]
    public async Task PortDisposed_EndsTheSubscription_WithOnErrorObjectDisposed()
    {
        var (port, chan) = Chan.New<int>();
        var recorder = new Recorder<int>();
        using IDisposable subscription = port.ToObservable().Subscribe(recorder);
        chan.Send(1);
        await recorder.WaitForCount(1);

        port.Dispose();
        await recorder.WaitForEnd();

        Assert.IsType<ObjectDisposedException>(recorder.Error);
        Assert.False(chan.TrySend(2));
    }

    [Fact]
    public async Task Subscribe_ComposesWithRxOperators()
    {
        var (port, chan) = Chan.New<int>(2);
        Task<int[]> evens = port.ToObservable().Where(x => x % 2 == 0).Select(x => x * 10).ToArray().ToTask();

        BlockingCall<bool> producer = Bounded.OnThread(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                chan.Send(i);
            }

            chan.Close();
        });
        await producer.Task.Within();

        int[] observed = await evens.Within();
        Assert.Equal([0, 20, 40, 60, 80], observed);
    }
}
