namespace Flow.Tests.Channels;

/// <summary>
/// <see cref="Chan.New{T}(int)"/> with capacity 0: a send completes only when a receiver takes
/// the message. Runs the whole shared suite, plus what only a rendezvous promises.
/// </summary>
public sealed class RendezvousChanTests : BoundedChanTestBase
{
    protected override int? Capacity => 0;

    [Fact]
    public async Task Send_ReturnsOnlyOnceAReceiverTookTheMessage()
    {
        var (port, chan) = CreatePair<int>();

        BlockingCall<bool> send = Bounded.OnThread(() => chan.Send(1));

        // A blocked sender makes the port ready without handing anything over.
        Assert.True(await port.WaitToRecvAsync().Within());
        Assert.False(send.Task.IsCompleted);
        Assert.Equal(0, port.Count);

        Assert.Equal(1, await port.RecvAsync().Within());
        await send.Task.Within();
    }

    [Fact]
    public async Task SendAsync_CompletesOnlyOnceAReceiverTookTheMessage()
    {
        var (port, chan) = CreatePair<int>();

        ValueTask send = chan.SendAsync(1);
        Assert.False(send.IsCompleted);
        Assert.True(await port.WaitToRecvAsync().Within());
        Assert.False(send.IsCompleted);

        Assert.Equal(1, await port.RecvAsync().Within());
        await send.Within();
    }

    [Fact]
    public async Task TrySend_OnlyWaitToRecvAsyncWaiting_ReturnsFalse_ForItTakesNothing()
    {
        var (port, chan) = CreatePair<int>();

        ValueTask<bool> waiting = port.WaitToRecvAsync();
        Assert.False(waiting.IsCompleted);

        Assert.False(chan.TrySend(1));
        Assert.Equal(0, port.Count);

        // A blocked sender makes the waiter ready, and is released only by a real receive.
        ValueTask send = chan.SendAsync(2);
        Assert.True(await waiting.Within());
        Assert.False(send.IsCompleted);
        Assert.Equal(2, await port.RecvAsync().Within());
        await send.Within();
    }

    [Fact]
    public void TrySend_NoReceiverWaiting_ReturnsFalseAndBuffersNothing()
    {
        var (port, chan) = CreatePair<int>();

        Assert.False(chan.TrySend(1));

        Assert.Equal(0, port.Count);
        Assert.False(port.TryRecv(out _));
    }

    [Fact]
    public async Task TrySend_ReceiverParkedInRecvAsync_HandsTheMessageOver()
    {
        var (port, chan) = CreatePair<int>();

        ValueTask<int> receive = port.RecvAsync();
        Assert.False(receive.IsCompleted);
        await Bounded.Eventually(() => chan.TrySend(42), "TrySend finds the parked receiver");

        Assert.Equal(42, await receive.Within());
        Assert.False(chan.TrySend(43));
    }

    [Fact]
    public async Task TrySend_ReceiverParkedInRecv_HandsTheMessageOver()
    {
        var (port, chan) = CreatePair<int>();

        BlockingCall<int> receive = Bounded.OnThread(() =>
        {
            using CancellationTokenSource deadline = Bounded.Deadline();
            return port.Recv(deadline.Token);
        });
        await Bounded.Eventually(() => chan.TrySend(42), "TrySend finds the parked receiver");

        Assert.Equal(42, await receive.Task.Within());
    }

    [Fact]
    public async Task TryRecv_SenderBlockedInSend_TakesItsMessage()
    {
        var (port, chan) = CreatePair<int>();

        BlockingCall<bool> send = Bounded.OnThread(() => chan.Send(7));
        int received = 0;
        await Bounded.Eventually(() => port.TryRecv(out received), "TryRecv takes the blocked sender's message");

        Assert.Equal(7, received);
        await send.Task.Within();
        Assert.False(port.TryRecv(out _));
    }

    [Fact]
    public async Task TryRecv_SendersBlockedInOrder_TakesTheirMessagesInOrder()
    {
        var (port, chan1) = SharedChan.New<int>(0);
        using SharedChan<int> chan2 = chan1.Clone();

        ValueTask first = chan1.SendAsync(1);
        ValueTask second = chan2.SendAsync(2);

        Assert.True(port.TryRecv(out int a));
        Assert.True(port.TryRecv(out int b));
        Assert.Equal((1, 2), (a, b));
        await first.Within();
        await second.Within();
        chan1.Dispose();
    }
}
