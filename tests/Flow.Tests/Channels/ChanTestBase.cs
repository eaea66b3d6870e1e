namespace Flow.Tests.Channels;

/// <summary>
/// The contract of a channel (DESIGN.md, "Channels" and "Semantics, pinned down"), run once per
/// configuration: each sealed subclass only says which channel it builds.
/// </summary>
/// <remarks>
/// Sends that may have to wait for a receiver (every send of a rendezvous) run on another thread
/// through <see cref="SendFromThread{T}"/>, so the same test body works whatever the capacity.
/// Shared configurations send through a clone whose original handle was closed at once, so every
/// test also checks that the stream ends with the last clone and not with the first.
/// </remarks>
public abstract class ChanTestBase
{
    /// <summary>The capacity of the channel under test; null for unbounded, 0 for a rendezvous.</summary>
    protected abstract int? Capacity { get; }

    /// <summary>True when the sender is a <see cref="SharedChan{T}"/> handle.</summary>
    protected virtual bool IsShared => false;

    /// <summary>How many messages the channel holds without a receiver.</summary>
    protected int Buffered => Capacity ?? 16;

    private protected (Port<T> Port, ITestSender<T> Chan) CreatePair<T>()
    {
        if (IsShared)
        {
            var (sharedPort, first) = Capacity is int c ? SharedChan.New<T>(c) : SharedChan.New<T>();
            SharedChan<T> clone = first.Clone();
            first.Close();
            return (sharedPort, new SharedSender<T>(clone));
        }

        var (port, chan) = Capacity is int capacity ? Chan.New<T>(capacity) : Chan.New<T>();
        return (port, new ChanSender<T>(chan));
    }

    /// <summary>
    /// Sends <paramref name="messages"/> in order from a dedicated thread with the blocking
    /// <c>Send</c>, then closes (or fails) the chan when asked.
    /// </summary>
    private protected static Task SendFromThread<T>(ITestSender<T> chan, IEnumerable<T> messages, bool close = false, Exception? fail = null) =>
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

    private protected static async Task<List<T>> RecvMany<T>(Port<T> port, int count)
    {
        var received = new List<T>(count);
        for (int i = 0; i < count; i++)
        {
            received.Add(await port.RecvAsync().Within());
        }

        return received;
    }

    // ---------------------------------------------------------------------------------------
    // Order and exactly-once.

    [Fact]
    public async Task RecvAsync_AfterSends_DeliversEveryMessageOnceInSendOrder()
    {
        var (port, chan) = CreatePair<int>();
        int[] sent = [.. Enumerable.Range(0, 1_000)];

        Task sender = SendFromThread(chan, sent, close: true);

        Assert.Equal(sent, await RecvMany(port, sent.Length));
        await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        await sender.Within();
    }

    [Fact]
    public async Task Recv_Blocking_DeliversEveryMessageOnceInSendOrder()
    {
        var (port, chan) = CreatePair<int>();
        int[] sent = [.. Enumerable.Range(0, 1_000)];

        Task sender = Task.Run(async () =>
        {
            foreach (int message in sent)
            {
                await chan.SendAsync(message);
            }

            chan.Close();
        });
        List<int> received = await Bounded.OnThread(() =>
        {
            var list = new List<int>();
            using CancellationTokenSource deadline = Bounded.Deadline();
            while (true)
            {
                try
                {
                    list.Add(port.Recv(deadline.Token));
                }
                catch (ChannelClosedException)
                {
                    return list;
                }
            }
        }).Task.Within();

        Assert.Equal(sent, received);
        await sender.Within();
    }

    [Fact]
    public async Task RecvAsync_WaitingBeforeSend_IsWokenByTheSend()
    {
        var (port, chan) = CreatePair<string>();

        ValueTask<string> pending = port.RecvAsync();
        Assert.False(pending.IsCompleted);
        Task sender = SendFromThread(chan, ["hello"]);

        Assert.Equal("hello", await pending.Within());
        await sender.Within();
    }

    [Fact]
    public async Task Recv_WaitingBeforeSend_IsWokenByTheSend()
    {
        var (port, chan) = CreatePair<string>();
        BlockingCall<string> receive = Bounded.OnThread(() =>
        {
            using CancellationTokenSource deadline = Bounded.Deadline();
            return port.Recv(deadline.Token);
        });
        await receive.WaitUntilBlocked();

        Task sender = SendFromThread(chan, ["hello"]);

        Assert.Equal("hello", await receive.Task.Within());
        await sender.Within();
    }

    // ---------------------------------------------------------------------------------------
    // The end of the stream: close and failure.

    [Fact]
    public async Task RecvAsync_AfterClose_DrainsThenThrowsChannelClosedWithoutInner()
    {
        var (port, chan) = CreatePair<int>();

        Task sender = SendFromThread(chan, [1, 2, 3], close: true);

        Assert.Equal([1, 2, 3], await RecvMany(port, 3));
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Null(closed.InnerException);
        Assert.Null(closed.PortIndex);

        // The end is sticky: every later receive sees it too.
        await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Throws<ChannelClosedException>(() => port.Recv());
        await sender.Within();
    }

    [Fact]
    public async Task RecvAsync_AfterFail_DrainsThenThrowsChannelClosedWithSenderException()
    {
        var (port, chan) = CreatePair<int>();
        var cause = new InvalidDataException("the sender died");

        Task sender = SendFromThread(chan, [1, 2], fail: cause);

        Assert.Equal([1, 2], await RecvMany(port, 2));
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Same(cause, closed.InnerException);
        ChannelClosedException again = Assert.Throws<ChannelClosedException>(() => port.Recv());
        Assert.Same(cause, again.InnerException);
        await sender.Within();
    }

    [Fact]
    public async Task Completion_AfterClose_CompletesOnlyOnceDrained()
    {
        var (port, chan) = CreatePair<int>();

        Task sender = SendFromThread(chan, [1, 2], close: true);
        Assert.False(port.Completion.IsCompleted);
        Assert.Equal(1, await port.RecvAsync().Within());
        Assert.False(port.Completion.IsCompleted);
        Assert.Equal(2, await port.RecvAsync().Within());

        await port.Completion.Within();
        Assert.Equal(TaskStatus.RanToCompletion, port.Completion.Status);
        Assert.Same(port.Completion, chan.Target.Completion);
        await sender.Within();
    }

    [Fact]
    public async Task Completion_AfterFail_FaultsWithTheExceptionItself()
    {
        var (port, chan) = CreatePair<int>();
        var cause = new InvalidDataException("the sender died");

        Task sender = SendFromThread(chan, [1], fail: cause);
        Assert.False(port.Completion.IsCompleted);
        Assert.Equal(1, await port.RecvAsync().Within());

        InvalidDataException thrown = await Assert.ThrowsAsync<InvalidDataException>(() => port.Completion.Within());
        Assert.Same(cause, thrown);
        Assert.True(port.Completion.IsFaulted);
        Assert.Same(cause, port.Completion.Exception!.InnerException);
        Assert.Single(port.Completion.Exception.InnerExceptions);
        await sender.Within();
    }

    [Fact]
    public async Task TryRecv_EmptyAndOpen_ReturnsFalseAndIsNotCompleted()
    {
        var (port, chan) = CreatePair<int>();

        Assert.False(port.TryRecv(out _));
        Assert.False(port.IsCompleted);
        Assert.Equal(0, port.Count);

        // Still usable afterwards.
        Task sender = SendFromThread(chan, [7]);
        Assert.Equal(7, await port.RecvAsync().Within());
        await sender.Within();
        Assert.False(port.IsCompleted);
    }

    [Fact]
    public async Task TryRecv_ClosedAndDrained_ReturnsFalseAndIsCompleted()
    {
        var (port, chan) = CreatePair<int>();

        Task sender = SendFromThread(chan, [7], close: true);
        Assert.Equal(7, await port.RecvAsync().Within());
        await sender.Within();

        Assert.False(port.TryRecv(out _));
        Assert.True(port.IsCompleted);
    }

    [Fact]
    public void TryRecv_AfterFail_NeverThrows()
    {
        var (port, chan) = CreatePair<int>();
        chan.Fail(new InvalidDataException("the sender died"));

        Assert.False(port.TryRecv(out _));
        Assert.True(port.IsCompleted);
    }

    [Fact]
    public async Task TryRecv_MessageWaiting_TakesItOnce()
    {
        var (port, chan) = CreatePair<int>();

        Task sender = SendFromThread(chan, [42], close: true);
        int received = 0;
        await Bounded.Eventually(() => port.TryRecv(out received), "TryRecv takes the message");
        Assert.Equal(42, received);
        await sender.Within();

        Assert.False(port.TryRecv(out _));
        Assert.True(port.IsCompleted);
    }

    [Fact]
    public async Task Iter_AfterClose_YieldsEveryMessageThenEndsNormally()
    {
        var (port, chan) = CreatePair<int>();
        int[] sent = [.. Enumerable.Range(0, 100)];

        Task sender = SendFromThread(chan, sent, close: true);
        List<int> received = await Bounded.OnThread(() => port.Iter().ToList()).Task.Within();

        Assert.Equal(sent, received);
        await sender.Within();
    }

    [Fact]
    public async Task Iter_AfterFail_YieldsEveryMessageThenThrowsWithCause()
    {
        var (port, chan) = CreatePair<int>();
        var cause = new InvalidDataException("the sender died");
        var received = new List<int>();

        Task sender = SendFromThread(chan, [1, 2, 3], fail: cause);
        Task iterate = Bounded.OnThread(() =>
        {
            foreach (int message in port.Iter())
            {
                received.Add(message);
            }
        }).Task;

        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => iterate.Within());
        Assert.Same(cause, closed.InnerException);
        Assert.Equal([1, 2, 3], received);
        await sender.Within();
    }

    [Fact]
    public async Task Iter_Cancelled_StopsWithOperationCanceled()
    {
        var (port, _) = CreatePair<int>();
        using var cts = new CancellationTokenSource();

        BlockingCall<List<int>> iterate = Bounded.OnThread(() => port.Iter(cts.Token).ToList());
        await iterate.WaitUntilBlocked();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => iterate.Task.Within());
    }

    [Fact]
    public async Task AwaitForeach_AfterClose_YieldsEveryMessageThenEndsNormally()
    {
        var (port, chan) = CreatePair<int>();
        int[] sent = [.. Enumerable.Range(0, 100)];
        var received = new List<int>();

        Task sender = SendFromThread(chan, sent, close: true);
        using CancellationTokenSource deadline = Bounded.Deadline();
        await foreach (int message in port.WithCancellation(deadline.Token))
        {
            received.Add(message);
        }

        Assert.Equal(sent, received);
        await sender.Within();
    }

    [Fact]
    public async Task AwaitForeach_AfterFail_YieldsEveryMessageThenThrowsWithCause()
    {
        var (port, chan) = CreatePair<int>();
        var cause = new InvalidDataException("the sender died");
        var received = new List<int>();

        Task sender = SendFromThread(chan, [1, 2, 3], fail: cause);
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(async () =>
        {
            using CancellationTokenSource deadline = Bounded.Deadline();
            await foreach (int message in port.WithCancellation(deadline.Token))
            {
                received.Add(message);
            }
        });

        Assert.Same(cause, closed.InnerException);
        Assert.Equal([1, 2, 3], received);
        await sender.Within();
    }

    [Fact]
    public async Task WaitToRecvAsync_ReportsMessageThenCleanEnd_AndTakesNothing()
    {
        var (port, chan) = CreatePair<int>();

        ValueTask<bool> waiting = port.WaitToRecvAsync();
        Task sender = SendFromThread(chan, [5], close: true);

        Assert.True(await waiting.Within());
        Assert.True(await port.WaitToRecvAsync().Within());
        Assert.Equal(5, await port.RecvAsync().Within());
        Assert.False(await port.WaitToRecvAsync().Within());
        await sender.Within();
    }

    [Fact]
    public async Task WaitToRecvAsync_AfterFail_ThrowsChannelClosedWithCause()
    {
        var (port, chan) = CreatePair<int>();
        var cause = new InvalidDataException("the sender died");

        ValueTask<bool> waiting = port.WaitToRecvAsync();
        chan.Fail(cause);

        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => waiting.Within());
        Assert.Same(cause, closed.InnerException);
    }

    // ---------------------------------------------------------------------------------------
    // Sending after the end; idempotent endings.

    [Fact]
    public async Task Send_AfterClose_ThrowsChannelClosedAndTrySendReturnsFalse()
    {
        var (port, chan) = CreatePair<int>();
        chan.Close();

        Assert.True(chan.IsClosed);
        Assert.Throws<ChannelClosedException>(() => chan.Send(1));
        Assert.Throws<ChannelClosedException>(() => chan.Send(1, CancellationToken.None));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await chan.SendAsync(1));
        Assert.False(chan.TrySend(1));

        // Nothing refused reached the port.
        Assert.False(port.TryRecv(out _));
        Assert.True(port.IsCompleted);
    }

    [Fact]
    public void Send_AfterFail_ThrowsChannelClosed()
    {
        var (_, chan) = CreatePair<int>();
        chan.Fail(new InvalidDataException("the sender died"));

        Assert.True(chan.IsClosed);
        Assert.Throws<ChannelClosedException>(() => chan.Send(1));
        Assert.False(chan.TrySend(1));
    }

    [Fact]
    public void Send_AfterDispose_ThrowsChannelClosed()
    {
        var (port, chan) = CreatePair<int>();
        chan.Dispose();

        Assert.True(chan.IsClosed);
        Assert.Throws<ChannelClosedException>(() => chan.Send(1));
        Assert.False(chan.TrySend(1));
        Assert.True(port.IsCompleted);
    }

    [Fact]
    public async Task Close_Twice_IsIdempotent()
    {
        var (port, chan) = CreatePair<int>();
        Task sender = SendFromThread(chan, [1], close: true);
        Assert.Equal(1, await port.RecvAsync().Within());
        await sender.Within();

        chan.Close();
        chan.Dispose();

        await port.Completion.Within();
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Null(closed.InnerException);
    }

    [Fact]
    public async Task Fail_AfterClose_IsIgnored()
    {
        var (port, chan) = CreatePair<int>();
        chan.Close();
        chan.Fail(new InvalidDataException("too late"));

        await port.Completion.Within();
        Assert.Equal(TaskStatus.RanToCompletion, port.Completion.Status);
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Null(closed.InnerException);
    }

    [Fact]
    public async Task CloseAndDispose_AfterFail_KeepTheFirstFailure()
    {
        var (port, chan) = CreatePair<int>();
        var first = new InvalidDataException("first");
        chan.Fail(first);
        chan.Fail(new InvalidDataException("second"));
        chan.Close();
        chan.Dispose();

        Assert.Same(first, await Assert.ThrowsAsync<InvalidDataException>(() => port.Completion.Within()));
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Same(first, closed.InnerException);
    }

    [Fact]
    public void Fail_Null_ThrowsArgumentNullAndLeavesTheChanOpen()
    {
        var (port, chan) = CreatePair<int>();

        Assert.Throws<ArgumentNullException>(() => chan.Fail(null!));

        Assert.False(chan.IsClosed);
        Assert.False(port.IsCompleted);
    }

    // ---------------------------------------------------------------------------------------
    // Dropping the port.

    [Fact]
    public async Task PortDispose_ThenSend_ThrowsChannelClosedAndDoesNotDisposeTheMessage()
    {
        var (port, chan) = CreatePair<Counted>();
        port.Dispose();

        var refused = new Counted(1);
        Assert.True(chan.IsClosed);
        Assert.Throws<ChannelClosedException>(() => chan.Send(refused));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await chan.SendAsync(refused));
        Assert.False(chan.TrySend(refused));

        Assert.Equal(0, refused.Disposals);
    }

    [Fact]
    public async Task PortDispose_DisposesEachBufferedMessageOnce_NotThoseAlreadyReceived()
    {
        var (port, chan) = CreatePair<Counted>();
        Counted[] messages = [.. Enumerable.Range(0, Buffered + 2).Select(i => new Counted(i))];

        // Two are received; the rest are buffered (none, for a rendezvous).
        Task sender = SendFromThread(chan, messages.Take(2));
        Counted[] received = [.. await RecvMany(port, 2)];
        await sender.Within();
        foreach (Counted message in messages.Skip(2))
        {
            Assert.True(chan.TrySend(message));
        }

        Assert.Equal(Buffered, port.Count);
        port.Dispose();
        port.Dispose();

        Assert.All(received, m => Assert.Equal(0, m.Disposals));
        Assert.All(messages.Skip(2), m => Assert.Equal(1, m.Disposals));
        Assert.True(port.IsCompleted);
        await port.Completion.Within();
    }

    [Fact]
    public async Task PortDispose_FromManyThreadsAtOnce_DisposesEachBufferedMessageOnce()
    {
        var (port, chan) = CreatePair<Counted>();
        Counted[] messages = [.. Enumerable.Range(0, Buffered).Select(i => new Counted(i))];
        foreach (Counted message in messages)
        {
            Assert.True(chan.TrySend(message));
        }

        using var start = new Barrier(4);
        Task[] disposers = [.. Enumerable.Range(0, 4).Select(_ => Bounded.OnThread(() =>
        {
            start.SignalAndWait(Bounded.Timeout);
            port.Dispose();
        }).Task)];
        await Task.WhenAll(disposers).Within();

        Assert.All(messages, m => Assert.Equal(1, m.Disposals));
    }

    [Fact]
    public async Task PortDispose_CompletesCompletionAndIsCompleted()
    {
        var (port, chan) = CreatePair<int>();
        Task completion = port.Completion;

        port.Dispose();

        await completion.Within();
        Assert.True(port.IsCompleted);
        Assert.False(port.TryRecv(out _));
        Assert.True(chan.IsClosed);
    }

    [Fact]
    public async Task PortDispose_WhileRecvAsyncWaits_WakesItWithObjectDisposed()
    {
        var (port, _) = CreatePair<int>();
        ValueTask<int> pending = port.RecvAsync();
        Assert.False(pending.IsCompleted);

        port.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.Within());
    }

    [Fact]
    public async Task PortDispose_WhileRecvWaits_WakesItWithObjectDisposed()
    {
        var (port, _) = CreatePair<int>();
        BlockingCall<int> receive = Bounded.OnThread(() =>
        {
            using CancellationTokenSource deadline = Bounded.Deadline();
            return port.Recv(deadline.Token);
        });
        await receive.WaitUntilBlocked();

        port.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => receive.Task.Within());
    }

    // ---------------------------------------------------------------------------------------
    // Cancellation.

    [Fact]
    public async Task RecvAsync_Cancelled_TookNothing()
    {
        var (port, chan) = CreatePair<int>();
        using var cts = new CancellationTokenSource();

        ValueTask<int> pending = port.RecvAsync(cts.Token);
        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.Within());

        Task sender = SendFromThread(chan, [1, 2]);
        Assert.Equal([1, 2], await RecvMany(port, 2));
        await sender.Within();
    }

    [Fact]
    public async Task Recv_Cancelled_TookNothing()
    {
        var (port, chan) = CreatePair<int>();
        using var cts = new CancellationTokenSource();

        BlockingCall<int> receive = Bounded.OnThread(() => port.Recv(cts.Token));
        await receive.WaitUntilBlocked();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.Task.Within());

        Task sender = SendFromThread(chan, [1, 2]);
        Assert.Equal([1, 2], await RecvMany(port, 2));
        await sender.Within();
    }

    [Fact]
    public async Task RecvAsync_PreCancelledOnEmptyPort_ThrowsAndTookNothing()
    {
        var (port, chan) = CreatePair<int>();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await port.RecvAsync(cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => port.Recv(cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await port.WaitToRecvAsync(cts.Token));

        Task sender = SendFromThread(chan, [1]);
        Assert.Equal(1, await port.RecvAsync().Within());
        await sender.Within();
    }

    [Fact]
    public async Task AwaitForeach_Cancelled_TookNothing()
    {
        var (port, chan) = CreatePair<int>();
        using var cts = new CancellationTokenSource();
        IAsyncEnumerator<int> enumerator = port.GetAsyncEnumerator(cts.Token);

        ValueTask<bool> step = enumerator.MoveNextAsync();
        Assert.False(step.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => step.Within());
        await enumerator.DisposeAsync();

        Task sender = SendFromThread(chan, [1]);
        Assert.Equal(1, await port.RecvAsync().Within());
        await sender.Within();
    }

    // ---------------------------------------------------------------------------------------
    // Misuse.

    [Fact]
    public async Task RecvAsync_SecondConcurrentReceiver_ThrowsInvalidOperationAndTheFirstGoesOn()
    {
        var (port, chan) = CreatePair<int>();
        ValueTask<int> first = port.RecvAsync();
        Assert.False(first.IsCompleted);

        Exception? second = await Record.ExceptionAsync(async () => await port.RecvAsync().Within());
        Assert.IsType<InvalidOperationException>(second);
        Assert.Throws<InvalidOperationException>(() => port.Recv());

        Task sender = SendFromThread(chan, [1]);
        Assert.Equal(1, await first.Within());
        await sender.Within();

        // The guard is released with the first receive: a later receiver is fine.
        sender = SendFromThread(chan, [2]);
        Assert.Equal(2, await port.RecvAsync().Within());
        await sender.Within();
    }

    [Fact]
    public async Task Recv_SecondConcurrentReceiver_ThrowsInvalidOperationAndTheFirstGoesOn()
    {
        var (port, chan) = CreatePair<int>();
        BlockingCall<int> first = Bounded.OnThread(() =>
        {
            using CancellationTokenSource deadline = Bounded.Deadline();
            return port.Recv(deadline.Token);
        });
        await first.WaitUntilBlocked();

        Exception? second = await Record.ExceptionAsync(async () => await port.RecvAsync().Within());
        Assert.IsType<InvalidOperationException>(second);

        Task sender = SendFromThread(chan, [1]);
        Assert.Equal(1, await first.Task.Within());
        await sender.Within();
    }

    [Fact]
    public async Task Port_UsedByOneTaskAfterAnother_Works()
    {
        var (port, chan) = CreatePair<int>();
        Task sender = SendFromThread(chan, [1, 2, 3], close: true);

        int a = await Task.Run(async () => await port.RecvAsync().Within());
        int b = await Bounded.OnThread(() => port.Recv()).Task.Within();
        int c = await Task.Run(async () => await port.RecvAsync().Within());

        Assert.Equal([1, 2, 3], [a, b, c]);
        await sender.Within();
    }

    // ---------------------------------------------------------------------------------------
    // Capacity.

    [Fact]
    public void Capacity_IsTheConfiguredOne()
    {
        var (port, _) = CreatePair<int>();

        Assert.Equal(Capacity, port.Capacity);
    }

    [Fact]
    public void TrySend_WithoutReceiver_AcceptsExactlyTheCapacity()
    {
        var (port, chan) = CreatePair<int>();
        int attempts = Buffered + 1;

        int accepted = 0;
        for (int i = 0; i < attempts; i++)
        {
            if (chan.TrySend(i))
            {
                accepted++;
            }
        }

        int expected = Capacity is null ? attempts : Buffered;
        Assert.Equal(expected, accepted);
        Assert.Equal(expected, port.Count);
        for (int i = 0; i < expected; i++)
        {
            Assert.True(port.TryRecv(out int message));
            Assert.Equal(i, message);
        }

        Assert.False(port.TryRecv(out _));
    }
}
