namespace Flow.Tests.Channels;

/// <summary>
/// <see cref="DuplexStream{TSend, TRecv}"/>. The stringifier is the guide's example (guide-tasks.txt,
/// "DuplexStream"): a child receives numbers, answers each with its text, and stops after 0.
/// </summary>
public sealed class DuplexStreamTests
{
    public static TheoryData<int?> Capacities => new() { null, 4, 0 };

    private static void Stringifier(DuplexStream<string, int> channel)
    {
        while (true)
        {
            int value = channel.Recv();
            channel.Send(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (value == 0)
            {
                break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Capacities))]
    public async Task Stringifier_AnswersEachNumberInOrder(int? capacity)
    {
        var (fromChild, toChild) = DuplexStream.New<int, string>(capacity);
        Task child = Bounded.OnThread(() => Stringifier(toChild)).Task;

        fromChild.Send(22);
        Assert.Equal("22", await fromChild.RecvAsync().Within());
        await fromChild.SendAsync(23).Within();
        BlockingCall<bool> sendZero = Bounded.OnThread(() => fromChild.Send(0));
        Assert.Equal("23", await fromChild.RecvAsync().Within());
        Assert.Equal("0", await fromChild.RecvAsync().Within());

        await Task.WhenAll(child, sendZero.Task).Within();
    }

    [Theory]
    [MemberData(nameof(Capacities))]
    public async Task Close_PeerDrainsThenRecvThrows_AndPeerSendsFail(int? capacity)
    {
        var (left, right) = DuplexStream.New<int, string>(capacity);

        Task sender = Bounded.OnThread(() =>
        {
            left.Send(1);
            left.Send(2);
            left.Close();
        }).Task;

        Assert.Equal(1, await right.RecvAsync().Within());
        Assert.Equal(2, await right.RecvAsync().Within());
        await sender.Within();

        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => right.RecvAsync().Within());
        Assert.Null(closed.InnerException);
        Assert.Throws<ChannelClosedException>(() => right.Recv());
        Assert.False(right.TryRecv(out _));

        Assert.Throws<ChannelClosedException>(() => right.Send("late"));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await right.SendAsync("late"));
        Assert.False(right.TrySend("late"));
    }

    [Fact]
    public async Task Close_MessagesThePeerSentBeforeAreDisposed_NotDelivered()
    {
        var (left, right) = DuplexStream.New<int, Counted>();
        var unread = new Counted(1);
        right.Send(unread);

        left.Close();
        left.Dispose();

        Assert.Equal(1, unread.Disposals);
        Assert.False(left.TryRecv(out _));
        await left.Incoming.Completion.Within();
        Assert.True(left.Outgoing.IsClosed);
    }

    [Fact]
    public async Task Close_WhileThisSideWaitsInRecvAsync_WakesIt()
    {
        var (left, _) = DuplexStream.New<int, string>();
        ValueTask<string> pending = left.RecvAsync();
        Assert.False(pending.IsCompleted);

        left.Close();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.Within());
    }

    [Fact]
    public async Task BothDirections_AreIndependent()
    {
        var (left, right) = DuplexStream.New<int, string>();

        left.Send(1);
        right.Send("a");
        right.Close();

        // Closing right ended only what right sends and what right receives.
        Assert.Equal("a", await left.RecvAsync().Within());
        await Assert.ThrowsAsync<ChannelClosedException>(() => left.RecvAsync().Within());
        Assert.Throws<ChannelClosedException>(() => left.Send(2));
        Assert.False(left.Outgoing.TrySend(2));
    }

    [Fact]
    public void New_NegativeCapacity_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DuplexStream.New<int, int>(-1));
    }
}
