using System.Reactive.Linq;
using System.Reactive.Subjects;
using Flow.Reactive;

namespace Flow.Tests.Reactive;

/// <summary>
/// <c>observable.ToPort(capacity, policy)</c>: completion closes the port, an error fails it with
/// the error itself; disposing unsubscribes and disposes the port; a port disposed on its own
/// ends the subscription at the next message; and each backpressure policy keeps, drops and
/// counts exactly what it says.
/// </summary>
public class ObservablePortTests
{
    public static TheoryData<BackpressurePolicy> Policies => [.. Enum.GetValues<BackpressurePolicy>()];

    [Fact]
    public void ToPort_BadArguments_Throw()
    {
        var subject = new Subject<int>();

        Assert.Throws<ArgumentNullException>(() => ((IObservable<int>)null!).ToPort(1, BackpressurePolicy.Block));
        Assert.Throws<ArgumentOutOfRangeException>(() => subject.ToPort(0, BackpressurePolicy.Block));
        Assert.Throws<ArgumentOutOfRangeException>(() => subject.ToPort(-1, BackpressurePolicy.DropOldest));
        Assert.Throws<ArgumentOutOfRangeException>(() => subject.ToPort(1, (BackpressurePolicy)42));
        Assert.False(subject.HasObservers, "a refused ToPort does not subscribe");
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task OnCompleted_ClosesThePort_AfterWhatWasSent(BackpressurePolicy policy)
    {
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(8, policy);

        Assert.Equal(policy, port.Policy);
        Assert.Equal(8, port.Port.Capacity);
        subject.OnNext(1);
        subject.OnNext(2);
        subject.OnCompleted();

        Assert.Equal(1, await port.Port.RecvAsync().Within());
        Assert.Equal(2, await port.Port.RecvAsync().Within());
        await Assert.ThrowsAsync<ChannelClosedException>(() => port.Port.RecvAsync().Within());
        await port.Port.Completion.Within();
        Assert.Equal(0, port.DroppedCount);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task OnError_FailsThePort_WithTheErrorItself(BackpressurePolicy policy)
    {
        var subject = new Subject<int>();
        var boom = new DivideByZeroException("source failed");
        using ObservablePort<int> port = subject.ToPort(4, policy);

        subject.OnNext(1);
        subject.OnError(boom);

        Assert.Equal(1, await port.Port.RecvAsync().Within());
        var closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.Port.RecvAsync().Within());
        Assert.Same(boom, closed.InnerException);
        Assert.Same(boom, await Assert.ThrowsAsync<DivideByZeroException>(() => port.Port.Completion.Within()));
    }

    [Fact]
    public async Task ObservablePort_IsAPort_ByConversionAndByName()
    {
        var subject = new Subject<string>();
        using ObservablePort<string> observed = subject.ToPort(2, BackpressurePolicy.Block);

        Port<string> converted = observed;
        Assert.Same(observed.Port, converted);
        Assert.Same(observed.Port, observed.ToPort());
        Assert.Throws<ArgumentNullException>(() =>
        {
            Port<string> none = (ObservablePort<string>)null!;
            GC.KeepAlive(none);
        });

        subject.OnNext("x");
        Assert.Equal("x", await converted.RecvAsync().Within());
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Dispose_Unsubscribes_AndDisposesThePort(BackpressurePolicy policy)
    {
        var subject = new Subject<int>();
        ObservablePort<int> port = subject.ToPort(4, policy);
        var message = new Counted(1);
        var observed = new Subject<Counted>();
        ObservablePort<Counted> counted = observed.ToPort(4, policy);
        observed.OnNext(message);
        Assert.True(subject.HasObservers);

        port.Dispose();
        counted.Dispose();
        port.Dispose();

        Assert.False(subject.HasObservers);
        Assert.False(observed.HasObservers);
        Assert.True(port.Port.IsCompleted);
        Assert.Throws<ObjectDisposedException>(() => port.Port.Recv());
        Assert.Equal(1, message.Disposals);
        subject.OnNext(2);
        Assert.Equal(0, port.DroppedCount);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void PortDisposedOnItsOwn_TheNextMessageEndsTheSubscription_NothingCountedAsDropped(BackpressurePolicy policy)
    {
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(1, policy);
        subject.OnNext(1);

        port.Port.Dispose();
        subject.OnNext(2);

        Assert.False(subject.HasObservers);
        Assert.Equal(0, port.DroppedCount);
        Assert.True(port.Port.IsCompleted);
    }

    [Fact]
    public async Task PortDisposedOnItsOwn_WakesAProducerBlockedInOnNext_AndEndsTheSubscription()
    {
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(1, BackpressurePolicy.Block);
        subject.OnNext(1);
        BlockingCall<bool> blocked = Bounded.OnThread(() => subject.OnNext(2));
        await blocked.WaitUntilBlocked();

        port.Port.Dispose();

        await blocked.Task.Within();
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public async Task Dispose_WakesAProducerBlockedInOnNext()
    {
        var subject = new Subject<int>();
        ObservablePort<int> port = subject.ToPort(1, BackpressurePolicy.Block);
        subject.OnNext(1);
        BlockingCall<bool> blocked = Bounded.OnThread(() => subject.OnNext(2));
        await blocked.WaitUntilBlocked();

        port.Dispose();

        await blocked.Task.Within();
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public async Task Block_OnNextBlocksWhileFull_UntilTheReceiverTakes_NothingLost()
    {
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(2, BackpressurePolicy.Block);
        subject.OnNext(1);
        subject.OnNext(2);

        BlockingCall<bool> third = Bounded.OnThread(() => subject.OnNext(3));
        await third.WaitUntilBlocked();
        Assert.False(third.Task.IsCompleted, "OnNext returned while the port was full");
        Assert.Equal(2, port.Port.Count);

        Assert.Equal(1, await port.Port.RecvAsync().Within());
        await third.Task.Within();
        subject.OnCompleted();

        int[] rest = await Drain(port.Port);
        Assert.Equal([2, 3], rest);
        Assert.Equal(0, port.DroppedCount);
    }

    [Fact]
    public async Task Block_FastProducerSlowConsumer_ReceivesEverythingInOrder()
    {
        const int sent = 2_000;
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(4, BackpressurePolicy.Block);
        int dropped = 0;
        port.Dropped += (_, _) => Interlocked.Increment(ref dropped);

        BlockingCall<bool> producer = Bounded.OnThread(() => Produce(subject, sent));
        var received = new List<int>();
        await foreach (int m in port.Port.WithCancellation(Bounded.Deadline().Token))
        {
            received.Add(m);
            if (m % 64 == 0)
            {
                await Task.Yield();
            }
        }

        await producer.Task.Within();
        Assert.Equal(Enumerable.Range(0, sent), received);
        Assert.Equal(0, port.DroppedCount);
        Assert.Equal(0, dropped);
    }

    [Fact]
    public async Task DropNewest_NoReceiver_KeepsTheFirstCapacity_DropsAndReportsTheRest()
    {
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(3, BackpressurePolicy.DropNewest);
        var events = new List<DroppedEventArgs<int>>();
        port.Dropped += (sender, e) =>
        {
            Assert.Same(port, sender);
            events.Add(e);
        };

        Produce(subject, 10);

        int[] kept = await Drain(port.Port);
        Assert.Equal([0, 1, 2], kept);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], events.Select(e => e.Message));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], events.Select(e => e.DroppedSoFar));
        Assert.Equal(7, port.DroppedCount);
    }

    [Fact]
    public async Task DropOldest_NoReceiver_KeepsTheLastCapacity_DropsAndReportsTheOldest()
    {
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(3, BackpressurePolicy.DropOldest);
        var events = new List<DroppedEventArgs<int>>();
        port.Dropped += (_, e) => events.Add(e);

        Produce(subject, 10);

        int[] kept = await Drain(port.Port);
        Assert.Equal([7, 8, 9], kept);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], events.Select(e => e.Message));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], events.Select(e => e.DroppedSoFar));
        Assert.Equal(7, port.DroppedCount);
    }

    [Theory]
    [InlineData(BackpressurePolicy.DropOldest)]
    [InlineData(BackpressurePolicy.DropNewest)]
    public async Task DropPolicies_FastProducerSlowConsumer_KeptPlusDroppedIsSent_CountAndEventsAgree(BackpressurePolicy policy)
    {
        const int sent = 5_000;
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(4, policy);
        var dropped = new List<int>();
        int producerThread = 0;
        bool eventOnProducerThread = true;
        port.Dropped += (_, e) =>
        {
            // Raised on the producing thread, which the observable serializes: no lock needed.
            dropped.Add(e.Message);
            eventOnProducerThread &= Environment.CurrentManagedThreadId == Volatile.Read(ref producerThread);
            Assert.Equal(dropped.Count, e.DroppedSoFar);
        };

        BlockingCall<bool> producer = Bounded.OnThread(() =>
        {
            Volatile.Write(ref producerThread, Environment.CurrentManagedThreadId);
            Produce(subject, sent);
        });

        // A slow consumer: it yields its thread after every message.
        var received = new List<int>();
        await foreach (int m in port.Port.WithCancellation(Bounded.Deadline().Token))
        {
            received.Add(m);
            await Task.Yield();
        }

        await producer.Task.Within();
        Assert.True(IsIncreasing(received), "received messages are in the order sent");
        Assert.True(IsIncreasing(dropped), "dropped messages are reported in the order sent");
        Assert.Equal(Enumerable.Range(0, sent), received.Concat(dropped).Order());
        Assert.Equal(dropped.Count, port.DroppedCount);
        Assert.True(eventOnProducerThread, "Dropped is raised on the producing thread");
        Assert.True(received.Count >= 1, "something got through");
        if (policy == BackpressurePolicy.DropOldest)
        {
            Assert.Equal(sent - 1, received[^1]);
        }
        else
        {
            Assert.Equal(0, received[0]);
        }
    }

    [Fact]
    public async Task Fail_OverflowFailsThePortWithBackpressureOverflow_AndEndsTheSubscription()
    {
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(2, BackpressurePolicy.Fail);
        subject.OnNext(1);
        subject.OnNext(2);
        Assert.True(subject.HasObservers);

        subject.OnNext(3);

        Assert.False(subject.HasObservers, "the overflow ended the subscription");
        subject.OnNext(4);
        Assert.Equal(1, await port.Port.RecvAsync().Within());
        Assert.Equal(2, await port.Port.RecvAsync().Within());
        var closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.Port.RecvAsync().Within());
        Assert.IsType<BackpressureOverflowException>(closed.InnerException);
        await Assert.ThrowsAsync<BackpressureOverflowException>(() => port.Port.Completion.Within());
        Assert.Equal(0, port.DroppedCount);
    }

    [Fact]
    public void Fail_OverflowDuringASynchronousSubscribe_StillEndsTheSubscription()
    {
        // StartWith emits inside Subscribe, before ToPort has the subscription to dispose.
        var subject = new Subject<int>();

        using ObservablePort<int> port = subject.StartWith(1, 2, 3).ToPort(1, BackpressurePolicy.Fail);

        Assert.False(subject.HasObservers, "the overflow ended the subscription");
        Assert.True(port.Port.TryRecv(out int first));
        Assert.Equal(1, first);
        Assert.False(port.Port.TryRecv(out _));
        Assert.IsType<BackpressureOverflowException>(port.Port.Completion.Exception?.InnerException);
    }

    [Fact]
    public void ColdSource_WithinCapacity_IsDeliveredDuringToPort()
    {
        using ObservablePort<int> port = Observable.Range(0, 5).ToPort(5, BackpressurePolicy.Block);

        Assert.Equal([0, 1, 2, 3, 4], port.Port.Iter().ToArray());
    }

    private static void Produce(Subject<int> subject, int count)
    {
        for (int i = 0; i < count; i++)
        {
            subject.OnNext(i);
        }

        subject.OnCompleted();
    }

    private static async Task<int[]> Drain(Port<int> port)
    {
        var all = new List<int>();
        await foreach (int m in port.WithCancellation(Bounded.Deadline().Token))
        {
            all.Add(m);
        }

        return [.. all];
    }

    private static bool IsIncreasing(List<int> values)
    {
        for (int i = 1; i < values.Count; i++)
        {
            if (values[i] <= values[i - 1])
            {
                return false;
            }
        }

        return true;
    }
}
