using static Flow.Tasks;

namespace Flow.Tests.Tasks;

/// <summary>
/// Move semantics: <c>Spawn(state, body)</c> ends the channel ends in its state when the task
/// ends — closed on success, failed with the task's exception on failure — and disposes ports.
/// </summary>
public class OwnershipTests
{
    [Fact]
    public async Task Spawn_ChanState_TaskSucceeds_ClosesTheChanAfterEverySend()
    {
        var (port, chan) = Chan.New<int>();

        JoinHandle handle = Spawn(chan, static c =>
        {
            c.Send(1);
            c.Send(2);
        });
        await handle.Within();

        Assert.True(chan.IsClosed);
        Assert.Equal(1, await port.RecvAsync().Within());
        Assert.Equal(2, await port.RecvAsync().Within());
        var end = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Null(end.InnerException);
        await port.Completion.Within();
    }

    [Fact]
    public async Task Spawn_ChanState_TaskFails_ReceiverSeesTheTasksOwnException()
    {
        var (port, chan) = Chan.New<int>();

        // The receiver waits before the sender dies, and learns why it died.
        Task<int> first = port.RecvAsync().AsTask();
        JoinHandle handle = Spawn(chan, static c =>
        {
            c.Send(1);
            throw new InvalidOperationException("the sender died");
        });
        Result result = await handle.JoinWithin();
        Exception cause = result.Error!.Exception;

        Assert.Equal(1, await first.Within());
        var end = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.Same(cause, end.InnerException);
        Assert.Same(cause, await Assert.ThrowsAsync<InvalidOperationException>(() => port.Completion.Within()));
    }

    [Fact]
    public async Task Spawn_ChanState_TaskFailsWhileTheReceiverWaits_WakesItWithTheException()
    {
        var (port, chan) = Chan.New<int>();
        var (go, fire) = Chan.New<int>();

        JoinHandle handle = Spawn((chan, go), static async s =>
        {
            await s.go.RecvAsync();
            throw new InvalidOperationException("failed while the receiver waited");
        });
        Task<int> waiting = port.RecvAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        fire.Send(1);

        var end = await Assert.ThrowsAsync<ChannelClosedException>(() => waiting.Within());
        Assert.Same((await handle.JoinWithin()).Error!.Exception, end.InnerException);
    }

    [Fact]
    public async Task Spawn_AsyncState_ClosesOnlyWhenTheWholeBodyEnded()
    {
        var (port, chan) = Chan.New<string>();
        var (go, fire) = Chan.New<int>();

        JoinHandle handle = Spawn((chan, go), static async s =>
        {
            await s.go.RecvAsync();
            s.chan.Send("after the await");
        });

        Assert.False(chan.IsClosed, "the body is still awaiting");
        fire.Send(1);
        await handle.Within();

        Assert.Equal("after the await", await port.RecvAsync().Within());
        await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
    }

    [Fact]
    public async Task Spawn_ValueFormsWithState_EndTheStateToo()
    {
        var (okPort, okChan) = Chan.New<int>();
        var (errPort, errChan) = Chan.New<int>();

        JoinHandle<int> ok = Spawn(okChan, static c =>
        {
            c.Send(5);
            return 10;
        });
        JoinHandle<int> err = Spawn(errChan, static async Task<int> (c) =>
        {
            await Task.Yield();
            c.Send(6);
            throw new FormatException("async value body failed");
        });

        Assert.Equal(10, await ok.Within());
        Result<int> errResult = await err.JoinWithin();
        Assert.Equal(5, await okPort.RecvAsync().Within());
        Assert.Null((await Assert.ThrowsAsync<ChannelClosedException>(() => okPort.RecvAsync().Within())).InnerException);
        Assert.Equal(6, await errPort.RecvAsync().Within());
        Assert.Same(errResult.Error!.Exception, (await Assert.ThrowsAsync<ChannelClosedException>(() => errPort.RecvAsync().Within())).InnerException);
    }

    [Fact]
    public async Task Spawn_TupleOfChanAndPort_ClosesTheChanAndDisposesThePort()
    {
        var (outPort, outChan) = Chan.New<int>();
        var (inPort, inChan) = Chan.New<int>();
        inChan.Send(21);

        JoinHandle handle = Spawn((outChan, inPort), static s => s.outChan.Send(s.inPort.Recv() * 2));
        await handle.Within();

        Assert.Equal(42, await outPort.RecvAsync().Within());
        await Assert.ThrowsAsync<ChannelClosedException>(() => outPort.RecvAsync().Within());
        Assert.True(inPort.IsCompleted, "the owned port was disposed");
        Assert.False(inChan.TrySend(1));
        Assert.Throws<ChannelClosedException>(() => inChan.Send(1));
    }

    [Fact]
    public async Task Spawn_TupleOfTwoChans_TaskFails_BothCarryTheSameException()
    {
        var (portA, chanA) = Chan.New<int>();
        var (portB, chanB) = Chan.New<string>();

        JoinHandle handle = Spawn((chanA, chanB), static _ => throw new InvalidOperationException("both ends fail"));
        Exception cause = (await handle.JoinWithin()).Error!.Exception;

        Assert.Same(cause, (await Assert.ThrowsAsync<ChannelClosedException>(() => portA.RecvAsync().Within())).InnerException);
        Assert.Same(cause, (await Assert.ThrowsAsync<ChannelClosedException>(() => portB.RecvAsync().Within())).InnerException);
    }

    [Fact]
    public async Task Spawn_PortState_DisposesThePortWhenTheTaskEnds()
    {
        var (port, chan) = Chan.New<int>();

        await Spawn(port, static _ => { }).Within();

        Assert.False(chan.TrySend(1));
        Assert.Throws<ChannelClosedException>(() => chan.Send(1));
        Assert.True(chan.IsClosed);
    }

    [Fact]
    public async Task Spawn_ChanCapturedByAClosure_IsNotOwnedAndStaysOpen()
    {
        var (port, chan) = Chan.New<int>();

        await Spawn(() => chan.Send(1)).Within();

        Assert.False(chan.IsClosed);
        chan.Send(2);
        Assert.Equal(1, await port.RecvAsync().Within());
        Assert.Equal(2, await port.RecvAsync().Within());
    }

    [Fact]
    public async Task Spawn_SharedChanClones_PortEndsOnlyAfterTheLastOwningTaskEnded()
    {
        var (port, shared) = SharedChan.New<int>();
        var (go, fire) = Chan.New<int>();

        JoinHandle early1 = Spawn(shared.Clone(), static c => c.Send(1));
        JoinHandle early2 = Spawn(shared.Clone(), static c => c.Send(2));
        JoinHandle late = Spawn((shared.Clone(), go), static async s =>
        {
            await s.go.RecvAsync();
            s.Item1.Send(3);
        });
        shared.Close();
        await early1.Within();
        await early2.Within();

        var received = new List<int> { await port.RecvAsync().Within(), await port.RecvAsync().Within() };
        Assert.False(port.IsCompleted, "one owning task still runs");
        fire.Send(0);
        await late.Within();
        await foreach (int message in port)
        {
            received.Add(message);
        }

        received.Sort();
        Assert.Equal([1, 2, 3], received);
    }

    [Fact]
    public async Task Spawn_SharedChanClone_OneOwnerFails_TheEndCarriesThatFailure()
    {
        var (port, shared) = SharedChan.New<int>();

        JoinHandle ok = Spawn(shared.Clone(), static c => c.Send(1));
        JoinHandle failed = Spawn(shared.Clone(), static _ => throw new InvalidOperationException("one sender died"));
        shared.Close();
        await ok.Within();
        Exception cause = (await failed.JoinWithin()).Error!.Exception;

        Assert.Equal(1, await port.RecvAsync().Within());
        Assert.Same(cause, (await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within())).InnerException);
    }

    [Fact]
    public async Task Spawn_DuplexStreamState_ClosesThatSideWhenTheTaskEnds()
    {
        var (left, right) = DuplexStream.New<int, int>();

        JoinHandle handle = Spawn(left, static d => d.Send(d.Recv() + 1));
        right.Send(1);
        await handle.Within();

        Assert.Equal(2, await right.RecvAsync().Within());
        await Assert.ThrowsAsync<ChannelClosedException>(() => right.RecvAsync().Within());
        Assert.Throws<ChannelClosedException>(() => right.Send(3));
    }

    [Fact]
    public async Task Spawn_DuplexStreamState_TaskFails_PeerSeesTheException()
    {
        var (left, right) = DuplexStream.New<int, int>();

        JoinHandle handle = Spawn(left, static _ => throw new InvalidOperationException("duplex owner died"));
        Exception cause = (await handle.JoinWithin()).Error!.Exception;

        Assert.Same(cause, (await Assert.ThrowsAsync<ChannelClosedException>(() => right.RecvAsync().Within())).InnerException);
    }

    [Fact]
    public async Task Spawn_ChanState_TaskKilled_ReceiverSeesTheKill()
    {
        var (port, chan) = Chan.New<int>();
        var (hold, _) = Chan.New<int>();

        JoinHandle handle = Spawn((chan, hold), static async s => await s.hold.RecvAsync());
        handle.Kill();
        Result result = await handle.JoinWithin();

        var end = await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within());
        Assert.IsType<TaskKilledException>(end.InnerException);
        Assert.Same(result.Error!.Exception, end.InnerException);
    }

    [Fact]
    public async Task Spawn_StateHandedOnToAChild_TheChildEndsIt()
    {
        var (port, chan) = Chan.New<int>();

        // The parent hands its chan on; the child fails, and the parent's own clean end later does
        // not overwrite that: the first ending wins.
        JoinHandle<Exception> parent = Spawn(chan, static c =>
            Spawn(c, static c2 =>
            {
                c2.Send(7);
                throw new InvalidOperationException("the child died");
            }).Join().Error!.Exception);
        Exception childCause = await parent.Within();

        Assert.Equal(TaskState.Completed, parent.Status);
        Assert.Equal(7, await port.RecvAsync().Within());
        Assert.Same(childCause, (await Assert.ThrowsAsync<ChannelClosedException>(() => port.RecvAsync().Within())).InnerException);
    }
}
