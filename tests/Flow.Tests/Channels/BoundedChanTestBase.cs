namespace Flow.Tests.Channels;

/// <summary>
/// What holds only where a send can have to wait: every bounded configuration, rendezvous
/// included. "Full" means <see cref="ChanTestBase.Buffered"/> messages are waiting (none for a
/// rendezvous, where a send always waits for a receiver).
/// </summary>
public abstract class BoundedChanTestBase : ChanTestBase
{
    /// <summary>Fills the channel so that the next send has to wait; returns the messages it holds.</summary>
    private protected List<T> Fill<T>(ITestSender<T> chan, Func<int, T> message)
    {
        var held = new List<T>();
        for (int i = 0; i < Buffered; i++)
        {
            T m = message(i);
            Assert.True(chan.TrySend(m));
            held.Add(m);
        }

        Assert.False(chan.TrySend(message(-1)), "The channel should be full.");
        return held;
    }

    [Fact]
    public async Task SendAsync_WhileFull_CompletesOnlyOnceAReceiveMakesRoom()
    {
        var (port, chan) = CreatePair<int>();
        List<int> held = Fill(chan, i => i);

        ValueTask pending = chan.SendAsync(100);
        Assert.False(pending.IsCompleted);
        Assert.False(pending.IsCompleted);

        int first = await port.RecvAsync().Within();
        await pending.Within();
        List<int> rest = await RecvMany(port, held.Count);

        Assert.Equal([.. held, 100], [first, .. rest]);
        Assert.False(port.TryRecv(out _));
    }

    [Fact]
    public async Task Send_WhileFull_BlocksUntilAReceiveMakesRoom()
    {
        var (port, chan) = CreatePair<int>();
        List<int> held = Fill(chan, i => i);

        BlockingCall<bool> send = Bounded.OnThread(() => chan.Send(100));
        await send.WaitUntilBlocked();
        Assert.False(send.Task.IsCompleted);

        List<int> received = await RecvMany(port, held.Count + 1);
        await send.Task.Within();
        Assert.Equal([.. held, 100], received);
    }

    [Fact]
    public async Task SendAsync_CancelledWhileFull_DeliveredNothing()
    {
        var (port, chan) = CreatePair<int>();
        List<int> held = Fill(chan, i => i);
        using var cts = new CancellationTokenSource();

        ValueTask pending = chan.SendAsync(100, cts.Token);
        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.Within());

        // Only what was held, then the next send: the cancelled message never arrives.
        Task sender = SendFromThread(chan, [200]);
        Assert.Equal([.. held, 200], await RecvMany(port, held.Count + 1));
        await sender.Within();
        Assert.False(port.TryRecv(out _));
    }

    [Fact]
    public async Task Send_CancelledWhileFull_DeliveredNothing()
    {
        var (port, chan) = CreatePair<int>();
        List<int> held = Fill(chan, i => i);
        using var cts = new CancellationTokenSource();

        BlockingCall<bool> send = Bounded.OnThread(() => chan.Send(100, cts.Token));
        await send.WaitUntilBlocked();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.Task.Within());

        Task sender = SendFromThread(chan, [200]);
        Assert.Equal([.. held, 200], await RecvMany(port, held.Count + 1));
        await sender.Within();
        Assert.False(port.TryRecv(out _));
    }

    [Fact]
    public async Task SendAsync_PreCancelledWhileFull_DeliveredNothing()
    {
        var (port, chan) = CreatePair<int>();
        List<int> held = Fill(chan, i => i);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await chan.SendAsync(100, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => chan.Send(101, cts.Token));

        Task sender = SendFromThread(chan, [200]);
        Assert.Equal([.. held, 200], await RecvMany(port, held.Count + 1));
        await sender.Within();
        Assert.False(port.TryRecv(out _));
    }

    [Fact]
    public async Task PortDispose_WakesBlockedSendAsyncWithChannelClosed_WithoutDisposingItsMessage()
    {
        var (port, chan) = CreatePair<Counted>();
        List<Counted> held = Fill(chan, i => new Counted(i));
        var blocked = new Counted(100);

        ValueTask pending = chan.SendAsync(blocked);
        Assert.False(pending.IsCompleted);
        port.Dispose();

        await Assert.ThrowsAsync<ChannelClosedException>(() => pending.Within());
        Assert.Equal(0, blocked.Disposals);
        Assert.All(held, m => Assert.Equal(1, m.Disposals));
    }

    [Fact]
    public async Task PortDispose_WakesBlockedSendWithChannelClosed_WithoutDisposingItsMessage()
    {
        var (port, chan) = CreatePair<Counted>();
        List<Counted> held = Fill(chan, i => new Counted(i));
        var blocked = new Counted(100);

        BlockingCall<bool> send = Bounded.OnThread(() => chan.Send(blocked));
        await send.WaitUntilBlocked();
        port.Dispose();

        await Assert.ThrowsAsync<ChannelClosedException>(() => send.Task.Within());
        Assert.Equal(0, blocked.Disposals);
        Assert.All(held, m => Assert.Equal(1, m.Disposals));
    }

    [Fact]
    public async Task SendAsync_SecondConcurrentSendOnOneHandle_ThrowsInvalidOperationAndTheFirstGoesOn()
    {
        var (port, chan) = CreatePair<int>();
        List<int> held = Fill(chan, i => i);
        ValueTask first = chan.SendAsync(100);
        Assert.False(first.IsCompleted);

        Exception? second = await Record.ExceptionAsync(async () => await chan.SendAsync(101).Within());
        Assert.IsType<InvalidOperationException>(second);

        Assert.Equal([.. held, 100], await RecvMany(port, held.Count + 1));
        await first.Within();
        Assert.False(port.TryRecv(out _));
    }

    [Fact]
    public async Task Count_WhileAFastProducerRuns_NeverExceedsCapacity()
    {
        var (port, chan) = CreatePair<int>();
        // Every message of a rendezvous costs a thread switch or two: fewer there.
        int messages = Buffered == 0 ? 2_000 : 10_000;

        // This receiver never parks in a receive (TryRecv and WaitToRecvAsync only), so nothing
        // is ever handed over early: a rendezvous holds nothing at all.
        int limit = Buffered;
        Task producer = SendFromThread(chan, Enumerable.Range(0, messages), close: true);
        int maxSeen = 0;
        int expected = 0;
        while (true)
        {
            maxSeen = Math.Max(maxSeen, port.Count);
            if (port.TryRecv(out int message))
            {
                Assert.Equal(expected++, message);
                continue;
            }

            if (port.IsCompleted)
            {
                break;
            }

            if (!await port.WaitToRecvAsync().Within())
            {
                break;
            }
        }

        await producer.Within();
        Assert.Equal(messages, expected);
        Assert.InRange(maxSeen, 0, limit);
    }
}
