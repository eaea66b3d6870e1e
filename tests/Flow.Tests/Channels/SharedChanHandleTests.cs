namespace Flow.Tests.Channels;

/// <summary>
/// What only a <see cref="SharedChan{T}"/> has: clones, and an end that waits for the last one.
/// Runs unbounded, bounded and rendezvous.
/// </summary>
public sealed class SharedChanHandleTests
{
    public static TheoryData<int?> Capacities => new() { null, 4, 0 };

    private static (Port<T> Port, SharedChan<T> Chan) New<T>(int? capacity) =>
        capacity is int c ? SharedChan.New<T>(c) : SharedChan.New<T>();

    private static Task<bool> SendFromThread<T>(SharedChan<T> chan, IEnumerable<T> messages, Exception? fail = null, bool close = true) =>
        Bounded.OnThread(() =>
        {
            foreach (T message in messages)
            {
                chan.Send(message);
            }

            if (fail is not null)
            {
                chan.Fail(fail);
            }
            else if (close)
            {
                chan.Close();
            }
        }).Task;

    [Theory]
    [MemberData(nameof(Capacities))]
    public async Task Port_EndsOnlyAfterEveryCloneClosed(int? capacity)
    {
        var (port, a) = New<int>(capacity);
        SharedChan<int> b = a.Clone();
        SharedChan<int> c = b.Clone();
        Assert.Equal(3, a.SenderCount);

        a.Close();
        c.Close();
        Assert.Equal(1, b.SenderCount);
        Assert.False(port.TryRecv(out _));
        Assert.False(port.IsCompleted);
        Assert.False(port.Completion.IsCompleted);

        // The last open clone still sends, and only its close ends the stream.
        Task sender = SendFromThread(b, [1, 2]);
        Assert.Equal(1, await port.RecvAsync().Within());
        Assert.Equal(2, await port.RecvAsync().Within());
        await sender.Within();

        await port.Completion.Within();
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Null(closed.InnerException);
        Assert.Equal(0, b.SenderCount);
    }

    [Theory]
    [MemberData(nameof(Capacities))]
    public async Task RecvAsync_WaitingWhileClonesClose_WakesOnlyAtTheLastClose(int? capacity)
    {
        var (port, a) = New<int>(capacity);
        SharedChan<int> b = a.Clone();

        ValueTask<int> pending = port.RecvAsync();
        a.Close();
        Assert.False(pending.IsCompleted);
        b.Close();

        await Assert.ThrowsAsync<ChannelClosedException>(() => pending.Within());
    }

    [Theory]
    [MemberData(nameof(Capacities))]
    public void Close_OfOneClone_RefusesItsSendsOnly(int? capacity)
    {
        var (port, a) = New<int>(capacity);
        SharedChan<int> b = a.Clone();

        a.Close();

        Assert.True(a.IsClosed);
        Assert.False(b.IsClosed);
        Assert.Throws<ChannelClosedException>(() => a.Send(1));
        Assert.False(a.TrySend(1));
        Assert.Equal(capacity != 0, b.TrySend(2));
        b.Close();
        Assert.Equal(capacity != 0, port.TryRecv(out int message) && message == 2);
    }

    [Theory]
    [MemberData(nameof(Capacities))]
    public void Clone_OfAClosedHandle_ThrowsChannelClosed(int? capacity)
    {
        var (port, a) = New<int>(capacity);
        SharedChan<int> b = a.Clone();

        a.Close();

        Assert.Throws<ChannelClosedException>(() => a.Clone());
        Assert.Equal(1, b.SenderCount);
        b.Dispose();
        Assert.Throws<ChannelClosedException>(() => b.Clone());
        Assert.True(port.IsCompleted);
    }

    [Theory]
    [MemberData(nameof(Capacities))]
    public async Task Clone_AfterPortDisposed_WorksAndItsSendsThrow(int? capacity)
    {
        var (port, a) = New<Counted>(capacity);
        port.Dispose();

        SharedChan<Counted> b = a.Clone();
        var message = new Counted(1);

        Assert.True(b.IsClosed);
        Assert.Throws<ChannelClosedException>(() => b.Send(message));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await b.SendAsync(message));
        Assert.False(b.TrySend(message));
        Assert.Equal(0, message.Disposals);
        b.Close();
        a.Close();
    }

    [Theory]
    [MemberData(nameof(Capacities))]
    public async Task Fail_OfOneClone_OthersStillDeliver_AndTheEndCarriesTheFailure(int? capacity)
    {
        var (port, a) = New<int>(capacity);
        SharedChan<int> b = a.Clone();
        var cause = new InvalidDataException("clone a died");

        Task failing = SendFromThread(a, [1, 2], fail: cause);
        Task healthy = SendFromThread(b, [10, 20, 30]);

        var received = new List<int>();
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(async () =>
        {
            while (true)
            {
                received.Add(await port.RecvAsync().Within());
            }
        });

        Assert.Same(cause, closed.InnerException);
        Assert.Equal([1, 2], received.Where(m => m < 10));
        Assert.Equal([10, 20, 30], received.Where(m => m >= 10));
        Assert.Same(cause, await Assert.ThrowsAsync<InvalidDataException>(() => port.Completion.Within()));
        await Task.WhenAll(failing, healthy).Within();
    }

    [Theory]
    [MemberData(nameof(Capacities))]
    public async Task Fail_OfSeveralClones_TheFirstFailureWins(int? capacity)
    {
        var (port, a) = New<int>(capacity);
        SharedChan<int> b = a.Clone();
        SharedChan<int> c = a.Clone();
        var first = new InvalidDataException("first");

        b.Fail(first);
        c.Fail(new InvalidDataException("second"));
        Assert.False(port.IsCompleted);
        a.Close();

        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Same(first, closed.InnerException);
    }

    [Theory]
    [MemberData(nameof(Capacities))]
    public async Task Clones_SendingConcurrently_EachClonesOrderIsKept(int? capacity)
    {
        const int Clones = 4;
        const int PerClone = 2_000;
        var (port, first) = New<(int Clone, int Seq)>(capacity);
        SharedChan<(int, int)>[] clones = [.. Enumerable.Range(0, Clones).Select(_ => first.Clone())];
        first.Close();

        Task[] senders = [.. clones.Select((clone, id) => SendFromThread(clone, Enumerable.Range(0, PerClone).Select(s => (id, s))))];
        int[] next = new int[Clones];
        using CancellationTokenSource deadline = Bounded.Deadline();
        await foreach ((int clone, int seq) in port.WithCancellation(deadline.Token))
        {
            Assert.Equal(next[clone]++, seq);
        }

        Assert.All(next, n => Assert.Equal(PerClone, n));
        await Task.WhenAll(senders).Within();
    }
}
