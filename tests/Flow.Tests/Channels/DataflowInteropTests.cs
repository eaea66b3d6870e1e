using System.Threading.Tasks.Dataflow;

namespace Flow.Tests.Channels;

/// <summary>
/// Ports as <see cref="IReceivableSourceBlock{TOutput}"/> and chans as <see cref="ITargetBlock{TInput}"/>
/// (DESIGN.md, "Performance contract"): linking, completion propagation and the receive helpers.
/// </summary>
public sealed class DataflowInteropTests
{
    private static readonly DataflowLinkOptions s_propagate = new() { PropagateCompletion = true };

    private static async Task<List<T>> Drain<T>(Port<T> port)
    {
        var received = new List<T>();
        using CancellationTokenSource deadline = Bounded.Deadline();
        await foreach (T message in port.WithCancellation(deadline.Token))
        {
            received.Add(message);
        }

        return received;
    }

    // ---------------------------------------------------------------------------------------
    // The port as a source.

    [Fact]
    public async Task LinkTo_ActionBlock_ReceivesEveryMessageInOrderAndCompletes()
    {
        var (port, chan) = Chan.New<int>();
        var received = new List<int>();
        var block = new ActionBlock<int>(received.Add);

        using IDisposable link = port.LinkTo(block, s_propagate);
        for (int i = 0; i < 1_000; i++)
        {
            chan.Send(i);
        }

        chan.Close();

        await block.Completion.Within();
        Assert.Equal(Enumerable.Range(0, 1_000), received);
        await port.Completion.Within();
    }

    [Fact]
    public async Task LinkTo_ActionBlock_MessagesSentBeforeTheLinkArriveToo()
    {
        var (port, chan) = Chan.New<int>(8);
        for (int i = 0; i < 8; i++)
        {
            chan.Send(i);
        }

        var received = new List<int>();
        var block = new ActionBlock<int>(received.Add);
        using IDisposable link = port.LinkTo(block, s_propagate);
        Task sender = Bounded.OnThread(() =>
        {
            for (int i = 8; i < 100; i++)
            {
                chan.Send(i);
            }

            chan.Close();
        }).Task;

        await block.Completion.Within();
        Assert.Equal(Enumerable.Range(0, 100), received);
        await sender.Within();
    }

    [Fact]
    public async Task LinkTo_AfterFail_TargetFaultsWithTheException()
    {
        var (port, chan) = Chan.New<int>();
        var received = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var block = new ActionBlock<int>(received.Enqueue);
        var cause = new InvalidDataException("the sender died");

        using IDisposable link = port.LinkTo(block, s_propagate);
        chan.Send(1);
        chan.Send(2);

        // A faulted Dataflow block drops what it buffered, so let it process both first.
        await Bounded.Eventually(() => received.Count == 2, "the block processed both messages");
        chan.Fail(cause);

        Assert.Same(cause, await Assert.ThrowsAsync<InvalidDataException>(() => block.Completion.Within()));
        Assert.Same(cause, block.Completion.Exception!.InnerException);
        Assert.Equal([1, 2], received);
    }

    [Fact]
    public async Task LinkTo_BoundedTargetThatPostpones_GetsEverythingInOrder()
    {
        var (port, chan) = Chan.New<int>(4);
        var target = new BufferBlock<int>(new DataflowBlockOptions { BoundedCapacity = 1 });
        using IDisposable link = port.LinkTo(target, s_propagate);

        Task sender = Bounded.OnThread(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                chan.Send(i);
            }

            chan.Close();
        }).Task;
        var received = new List<int>();
        while (await target.OutputAvailableAsync().Within())
        {
            received.Add(await target.ReceiveAsync().Within());
        }

        Assert.Equal(Enumerable.Range(0, 200), received);
        await target.Completion.Within();
        await sender.Within();
    }

    [Fact]
    public async Task LinkTo_MaxMessagesOne_TakesOneAndLeavesTheRestToThePort()
    {
        var (port, chan) = Chan.New<int>();
        var target = new BufferBlock<int>();
        chan.Send(1);
        chan.Send(2);
        chan.Send(3);

        port.LinkTo(target, new DataflowLinkOptions { MaxMessages = 1 });

        Assert.Equal(1, await target.ReceiveAsync().Within());
        Assert.Equal(2, await port.RecvAsync().Within());
        Assert.Equal(3, await port.RecvAsync().Within());
        Assert.Equal(0, target.Count);
    }

    [Fact]
    public async Task LinkTo_Unlinked_PlainReceivesWorkAgain()
    {
        var (port, chan) = Chan.New<int>();
        var target = new BufferBlock<int>();
        IDisposable link = port.LinkTo(target);
        chan.Send(1);
        Assert.Equal(1, await target.ReceiveAsync().Within());

        link.Dispose();
        ValueTask<int> pending = port.RecvAsync();
        chan.Send(2);

        Assert.Equal(2, await pending.Within());
        Assert.Equal(0, target.Count);
    }

    [Fact]
    public async Task ReceiveAsync_OnPort_ReceivesAndAPlainRecvWorksAfterwards()
    {
        var (port, chan) = Chan.New<int>();

        Task<int> waiting = DataflowBlock.ReceiveAsync(port);
        Assert.False(waiting.IsCompleted);
        chan.Send(1);
        Assert.Equal(1, await waiting.Within());

        chan.Send(2);
        Assert.Equal(2, await Bounded.OnThread(() => port.Recv()).Task.Within());
        chan.Send(3);
        Assert.Equal(3, await DataflowBlock.ReceiveAsync(port).Within());
        ValueTask<int> pending = port.RecvAsync();
        chan.Send(4);
        Assert.Equal(4, await pending.Within());
    }

    [Fact]
    public async Task ReceiveAsync_OnPortThatCloses_Faults()
    {
        var (port, chan) = Chan.New<int>();

        Task<int> waiting = DataflowBlock.ReceiveAsync(port);
        chan.Close();

        await Assert.ThrowsAsync<InvalidOperationException>(() => waiting.Within());
    }

    [Fact]
    public async Task TryReceive_WithFilter_TakesOnlyAMatchingHeadAndKeepsTheOrder()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(1);
        chan.Send(2);

        Assert.False(port.TryReceive(m => m == 2, out _));
        Assert.True(port.TryReceive(m => m == 1, out int first));
        Assert.Equal(1, first);
        Assert.False(port.TryReceive(m => m == 1, out _));

        // The refused head is still the next message, for every kind of receive.
        Assert.Equal(2, await port.RecvAsync().Within());
        Assert.False(port.TryReceive(null, out _));
    }

    [Fact]
    public void TryReceiveAll_TakesEverythingBufferedInOrder()
    {
        var (port, chan) = Chan.New<int>();
        Assert.False(port.TryReceiveAll(out _));
        chan.Send(1);
        chan.Send(2);
        chan.Send(3);

        Assert.True(port.TryReceiveAll(out IList<int>? items));
        Assert.Equal([1, 2, 3], items);
        Assert.False(port.TryRecv(out _));
    }

    [Fact]
    public async Task Completion_AfterTryReceiveHeldTheLastMessage_WaitsUntilItIsTaken()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(1);
        chan.Close();

        Assert.False(port.TryReceive(m => m == 99, out _));
        Assert.False(port.Completion.IsCompleted);
        Assert.False(port.IsCompleted);

        Assert.Equal(1, await port.RecvAsync().Within());
        await port.Completion.Within();
    }

    [Fact]
    public async Task Completion_AfterTryReceiveTookTheLastMessage_Completes()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(1);
        chan.Close();
        Task completion = port.Completion;

        Assert.True(port.TryReceive(null, out int message));
        Assert.Equal(1, message);

        await completion.Within();
        Assert.True(port.IsCompleted);
    }

    // ---------------------------------------------------------------------------------------
    // The chan as a target.

    [Fact]
    public async Task BufferBlockLinkedToBoundedChan_DeliversEverythingInOrderAndPropagatesCompletion()
    {
        var (port, chan) = Chan.New<int>(4);
        var source = new BufferBlock<int>();
        for (int i = 0; i < 1_000; i++)
        {
            Assert.True(source.Post(i));
        }

        source.Complete();
        using IDisposable link = source.LinkTo(chan, s_propagate);

        Assert.Equal(Enumerable.Range(0, 1_000), await Drain(port));
        Assert.True(chan.IsClosed);
        await source.Completion.Within();
    }

    [Fact]
    public async Task BufferBlockLinkedToBoundedChan_FaultPropagatesAsFailure()
    {
        var (port, chan) = Chan.New<int>(2);
        var source = new BufferBlock<int>();
        var cause = new InvalidDataException("upstream died");
        using IDisposable link = source.LinkTo(chan, s_propagate);

        ((IDataflowBlock)source).Fault(cause);

        // Dataflow propagates a fault as the source's AggregateException; the cause is inside.
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Exception? inner = closed.InnerException is AggregateException aggregate ? aggregate.InnerException : closed.InnerException;
        Assert.Same(cause, inner);
    }

    [Fact]
    public async Task TransformBlockLinkedToChan_DeliversEveryResultInOrder()
    {
        var (port, chan) = Chan.New<string>(2);
        var transform = new TransformBlock<int, string>(
            i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 2 });
        using IDisposable link = transform.LinkTo(chan, s_propagate);

        for (int i = 0; i < 300; i++)
        {
            await transform.SendAsync(i).Within();
        }

        transform.Complete();

        List<string> received = await Drain(port);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received);
    }

    [Fact]
    public async Task SharedChanClonesAsTargets_StreamEndsAfterTheLastSourceCompletes()
    {
        var (port, first) = SharedChan.New<int>(2);
        SharedChan<int> second = first.Clone();
        var a = new BufferBlock<int>();
        var b = new BufferBlock<int>();
        using IDisposable linkA = a.LinkTo(first, s_propagate);
        using IDisposable linkB = b.LinkTo(second, s_propagate);

        for (int i = 0; i < 100; i++)
        {
            a.Post(i);
            b.Post(1_000 + i);
        }

        a.Complete();
        List<int> partial = [];
        for (int i = 0; i < 100; i++)
        {
            partial.Add(await port.RecvAsync().Within());
        }

        b.Complete();
        List<int> received = [.. partial, .. await Drain(port)];

        Assert.Equal(Enumerable.Range(0, 100), received.Where(m => m < 1_000));
        Assert.Equal(Enumerable.Range(1_000, 100), received.Where(m => m >= 1_000));
    }

    [Fact]
    public async Task Post_ToChan_AcceptsWhileThereIsRoomOnly()
    {
        var (port, chan) = Chan.New<int>(1);

        Assert.True(chan.Post(1));
        Assert.False(chan.Post(2));
        chan.Close();
        Assert.False(chan.Post(3));

        Assert.Equal([1], await Drain(port));
    }

    [Fact]
    public async Task DataflowSendAsync_ToFullChan_CompletesOnceThereIsRoom()
    {
        var (port, chan) = Chan.New<int>(1);
        Assert.True(chan.TrySend(1));

        Task<bool> sent = DataflowBlock.SendAsync(chan, 2);
        Assert.False(sent.IsCompleted);
        Assert.Equal(1, await port.RecvAsync().Within());

        Assert.True(await sent.Within());
        Assert.Equal(2, await port.RecvAsync().Within());
    }

    [Fact]
    public async Task DataflowSendAsync_ToClosedChanOrGonePort_ReturnsFalse()
    {
        var (_, closed) = Chan.New<int>(1);
        closed.Close();
        var (gonePort, gone) = Chan.New<int>(1);
        gonePort.Dispose();

        Assert.False(await DataflowBlock.SendAsync(closed, 1).Within());
        Assert.False(await DataflowBlock.SendAsync(gone, 1).Within());
    }

    [Fact]
    public async Task Complete_OnChanAsTarget_ClosesIt()
    {
        var (port, chan) = Chan.New<int>();
        ITargetBlock<int> target = chan;
        chan.Send(1);

        target.Complete();

        Assert.True(chan.IsClosed);
        Assert.Equal([1], await Drain(port));
    }
}
