using static Flow.Tests.Pipelines.PipelineKit;

namespace Flow.Tests.Pipelines;

/// <summary>
/// How a pipeline ends (DESIGN.md, "Pipelines" and "Semantics, pinned down → Pipelines"): one
/// <c>Completion</c> that faults with the original exception and fails the output port with it,
/// one token that cancels every stage, fan-in that ends only when every port closed, a failed
/// source port that fails the pipeline, and the input's lifecycle.
/// </summary>
public sealed class PipelineCompletionTests
{
    // ---------------------------------------------------------------------------------------
    // A fault reaches downstream.

    [Fact]
    public async Task Fault_ToPort_PortFailsWithTheOriginalException()
    {
        StageFailure? thrown = null;
        var (pipeline, output) = Pipeline.Create<int>()
            .Select(i => i == 5 ? throw (thrown = new StageFailure(i)) : i)
            .Select(i => i + 1)
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 10));

        Exception failure = await FailureOf(pipeline.Completion);
        Assert.Same(thrown, failure);
        var (items, closed) = await DrainOutcome(output);
        Assert.IsType<ChannelClosedException>(closed);
        Assert.Same(thrown, closed.InnerException);
        Assert.Same(thrown, await FailureOf(output.Completion));
        Assert.All(items, i => Assert.InRange(i, 1, 5));
    }

    [Fact]
    public async Task Fault_ToChan_ChanIsFailedWithTheOriginalException()
    {
        var thrown = new InvalidDataException("bad record");
        var (port, chan) = Chan.New<string>();
        Pipeline<int> pipeline = Pipeline.Create<int>()
            .SelectAsync(async i =>
            {
                await Task.Yield();
                return i == 3 ? throw thrown : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            })
            .To(chan);

        await SendAll(pipeline, Enumerable.Range(0, 10));

        var (_, closed) = await DrainOutcome(port);
        Assert.Same(thrown, closed?.InnerException);
        Assert.Same(thrown, await FailureOf(pipeline.Completion));
        Assert.True(chan.IsClosed);
    }

    [Fact]
    public async Task Fault_AfterFailure_SendThrowsChannelClosedWithTheFailure()
    {
        var thrown = new StageFailure(0);
        Pipeline<int> pipeline = Pipeline.Create<int>().ForEach(_ => throw thrown);

        await pipeline.SendAsync(0).Within();
        Assert.Same(thrown, await FailureOf(pipeline.Completion));

        var blocking = Assert.Throws<ChannelClosedException>(() => pipeline.Send(1));
        Assert.Same(thrown, blocking.InnerException);
        var async = await Assert.ThrowsAsync<ChannelClosedException>(() => pipeline.SendAsync(2).AsTask());
        Assert.Same(thrown, async.InnerException);
        Assert.False(pipeline.TrySend(3));
    }

    [Fact]
    public async Task Fault_OutputPortDisposed_PipelineFailsAndStopsEveryStage()
    {
        // Nobody will take the output any more: the terminal's send is refused. That failure must
        // stop the whole pipeline, or a sender blocked on the full input would wait forever.
        var (pipeline, output) = Pipeline.Create<int>(new PipelineOptions { InputCapacity = 1 })
            .Select(i => i, new StageOptions { Capacity = 1 })
            .ToPort(capacity: 1);
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; ; i++)
            {
                await pipeline.SendAsync(i);
            }
        });
        Assert.Equal(0, await output.RecvAsync().Within());

        output.Dispose();

        Exception failure = await FailureOf(pipeline.Completion);
        Assert.IsType<ChannelClosedException>(failure);
        var refused = Assert.IsType<ChannelClosedException>(await FailureOf(producer));
        Assert.Same(failure, refused.InnerException);
    }

    // ---------------------------------------------------------------------------------------
    // Cancellation.

    [Fact]
    public async Task Cancel_EveryStageBusyOrIdle_EndsWithoutHang_CompletionCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (pipeline, output) = Pipeline.Create<int>(new PipelineOptions { CancellationToken = cancel.Token, InputCapacity = 2 })
            .Select(i => i)
            .SelectAsync(
                async (i, token) =>
                {
                    busy.TrySetResult();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, token);
                    }
                    finally
                    {
                        left.TrySetResult();
                    }

                    return i;
                },
                new StageOptions { Capacity = 1 })
            .Where(_ => true)
            .Batch(3)
            .Buffer(2)
            .Tee(branch => branch.ForEachAsync((_, token) => Task.Delay(Timeout.Infinite, token)))
            .SelectMany(batch => batch)
            .ToPort(capacity: 1);

        // Fill the pipeline until a sender waits on the full input.
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; ; i++)
            {
                await pipeline.SendAsync(i);
            }
        });
        await busy.Task.Within();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.Completion.Within());
        Assert.True(pipeline.Completion.IsCanceled);
        await left.Task.Within();
        Assert.IsType<ChannelClosedException>(await FailureOf(producer));
        var (_, closed) = await DrainOutcome(output);
        Assert.IsAssignableFrom<OperationCanceledException>(closed?.InnerException);
    }

    [Fact]
    public async Task Cancel_SenderBlockedInSend_GetsChannelClosed()
    {
        using var cancel = new CancellationTokenSource();
        Pipeline<int> pipeline = Pipeline.Create<int>(new PipelineOptions { InputCapacity = 1, CancellationToken = cancel.Token })
            .ForEachAsync((_, token) => Task.Delay(Timeout.Infinite, token), new StageOptions { Capacity = 1 });
        pipeline.Send(0);
        await Bounded.Eventually(() => pipeline.TrySend(1), "the first item moved on and the input has room");
        BlockingCall<bool> blocked = Bounded.OnThread(() => pipeline.Send(2));
        await blocked.WaitUntilBlocked();

        await cancel.CancelAsync();

        Assert.IsType<ChannelClosedException>(await FailureOf(blocked.Task));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.Completion.Within());
        Assert.True(pipeline.Completion.IsCanceled);
    }

    [Fact]
    public async Task Cancel_AlreadyCancelledToken_CompletionCancelled()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        Pipeline<int> pipeline = Pipeline.Create<int>(new PipelineOptions { CancellationToken = cancel.Token })
            .Select(i => i)
            .ForEach(_ => { });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.Completion.Within());
        Assert.True(pipeline.Completion.IsCanceled);
        Assert.False(pipeline.TrySend(1));
    }

    [Fact]
    public async Task Cancel_PortFedPipeline_StopsTheReceiveAndCancels()
    {
        using var cancel = new CancellationTokenSource();
        var (input, chan) = Chan.New<int>();
        var (pipeline, output) = input.Pipe(new PipelineOptions { CancellationToken = cancel.Token }).Select(i => i).ToPort();
        chan.Send(1);
        Assert.Equal(1, await output.RecvAsync().Within());

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.Completion.Within());
        Assert.True(pipeline.Completion.IsCanceled);

        // The pipeline owned the port as its receiver: once it stopped, the port is disposed, so
        // the producer learns that nobody receives instead of filling a port nobody reads.
        await Bounded.Eventually(() => chan.IsClosed, "the stopped pipeline disposes its port");
        Assert.Throws<ChannelClosedException>(() => chan.Send(2));
    }

    // ---------------------------------------------------------------------------------------
    // Fan-in.

    [Fact]
    public async Task Merge_CompletesOnlyWhenEveryPortClosed()
    {
        var (a, chanA) = Chan.New<int>();
        var (b, chanB) = Chan.New<int>();
        var (c, chanC) = Chan.New<int>();
        var (pipeline, output) = Pipeline.Merge([a, b, c]).ToPort();

        chanA.Send(1);
        chanA.Close();
        chanB.Send(2);
        chanB.Close();

        var got = new List<int> { await output.RecvAsync().Within(), await output.RecvAsync().Within() };
        Assert.Equal([1, 2], got.Order());

        // Two of three closed: a later message of the third still gets through, so nothing ended.
        chanC.Send(3);
        Assert.Equal(3, await output.RecvAsync().Within());
        Assert.False(pipeline.Completion.IsCompleted);

        chanC.Close();
        await pipeline.Completion.Within();
        Assert.Empty(await Drain(output));
    }

    [Fact]
    public async Task Merge_EveryMessageOfEveryPort_ArrivesOnce_PerPortInOrder()
    {
        const int Ports = 4;
        const int PerPort = 200;
        var ports = new Port<(int Port, int Seq)>[Ports];
        var chans = new Chan<(int, int)>[Ports];
        for (int p = 0; p < Ports; p++)
        {
            (ports[p], chans[p]) = Chan.New<(int, int)>(4);
        }

        var (pipeline, output) = Pipeline.Merge(ports).Select(m => m, new StageOptions { Parallelism = 2 }).ToPort();
        Task[] senders = [.. chans.Select((chan, p) => Task.Run(async () =>
        {
            for (int s = 0; s < PerPort; s++)
            {
                await chan.SendAsync((p, s));
            }

            chan.Close();
        }))];

        List<(int Port, int Seq)> received = await Drain(output);
        await Task.WhenAll(senders).Within();
        await pipeline.Completion.Within();

        Assert.Equal(Ports * PerPort, received.Count);
        for (int p = 0; p < Ports; p++)
        {
            Assert.Equal(Enumerable.Range(0, PerPort), received.Where(m => m.Port == p).Select(m => m.Seq));
        }
    }

    [Fact]
    public async Task Merge_APortsSenderFailed_PipelineFaultsWithThatException()
    {
        var (a, chanA) = Chan.New<int>();
        var (b, chanB) = Chan.New<int>();
        var (pipeline, output) = Pipeline.Merge([a, b]).Select(i => i).ToPort();
        var cause = new IOException("the producer died");

        chanA.Send(1);
        Assert.Equal(1, await output.RecvAsync().Within());
        chanB.Fail(cause);

        Assert.Same(cause, await FailureOf(pipeline.Completion));
        var (_, closed) = await DrainOutcome(output);
        Assert.Same(cause, closed?.InnerException);
    }

    [Fact]
    public async Task Pipe_SenderFailed_PipelineFaultsWithThatException()
    {
        var (input, chan) = Chan.New<int>();
        var cause = new IOException("the producer died");
        Pipeline<int> pipeline = input.Pipe().Select(i => i).ForEach(_ => { });

        chan.Send(1);
        chan.Fail(cause);

        Assert.Same(cause, await FailureOf(pipeline.Completion));
    }

    [Fact]
    public async Task Merge_OnePort_ActsLikePipe()
    {
        var (input, chan) = Chan.New<int>();
        var (pipeline, output) = Pipeline.Merge([input]).ToPort();

        chan.Send(7);
        chan.Close();

        Assert.Equal([7], await Drain(output));
        await pipeline.Completion.Within();
    }

    // ---------------------------------------------------------------------------------------
    // The input's lifecycle.

    [Fact]
    public async Task Send_AfterComplete_ThrowsChannelClosed()
    {
        Pipeline<int> pipeline = Pipeline.Create<int>().ForEach(_ => { });
        pipeline.Send(1);

        pipeline.Complete();

        Assert.Throws<ChannelClosedException>(() => pipeline.Send(2));
        await Assert.ThrowsAsync<ChannelClosedException>(() => pipeline.SendAsync(3).AsTask());
        Assert.False(pipeline.TrySend(4));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task Send_AfterCompletionEnded_ThrowsChannelClosed()
    {
        Pipeline<int> pipeline = Pipeline.Create<int>().ForEach(_ => { });
        pipeline.Complete();
        await pipeline.Completion.Within();

        Assert.Throws<ChannelClosedException>(() => pipeline.Send(1));
        await Assert.ThrowsAsync<ChannelClosedException>(() => pipeline.SendAsync(2).AsTask());
        Assert.False(pipeline.TrySend(3));
    }

    [Fact]
    public async Task Send_BlockingOnAFullInput_ResumesWhenRoomFrees()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new List<int>();
        Pipeline<int> pipeline = Pipeline.Create<int>(new PipelineOptions { InputCapacity = 1 })
            .ForEachAsync(
                async (i, _) =>
                {
                    await release.Task;
                    seen.Add(i);
                },
                new StageOptions { Capacity = 1 });
        pipeline.Send(0);
        await Bounded.Eventually(() => pipeline.TrySend(1), "the first item moved on and the input has room");
        Assert.False(pipeline.TrySend(2));

        BlockingCall<bool> third = Bounded.OnThread(() => pipeline.Send(2));
        await third.WaitUntilBlocked();
        Assert.False(third.Task.IsCompleted);

        release.SetResult();
        await third.Task.Within();
        pipeline.Complete();
        await pipeline.Completion.Within();
        Assert.Equal([0, 1, 2], seen);
    }

    [Fact]
    public async Task SendAsync_Cancelled_ItemNotTaken()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new List<int>();
        Pipeline<int> pipeline = Pipeline.Create<int>(new PipelineOptions { InputCapacity = 1 })
            .ForEachAsync(
                async (i, _) =>
                {
                    await release.Task;
                    seen.Add(i);
                },
                new StageOptions { Capacity = 1 });
        await pipeline.SendAsync(0).Within();
        await Bounded.Eventually(() => pipeline.TrySend(1), "the first item moved on and the input has room");

        using var cancel = new CancellationTokenSource();
        ValueTask waiting = pipeline.SendAsync(2, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask().Within());

        release.SetResult();
        pipeline.Complete();
        await pipeline.Completion.Within();
        Assert.Equal([0, 1], seen);
    }
}
