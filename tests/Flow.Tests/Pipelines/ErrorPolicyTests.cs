using static Flow.Tests.Pipelines.PipelineKit;

namespace Flow.Tests.Pipelines;

/// <summary>
/// <see cref="ErrorPolicy"/> (DESIGN.md, "Pipelines" and "Semantics, pinned down → Pipelines"):
/// FailPipeline stops everything with the original exception, Skip drops and counts, RouteTo
/// reports each bad item once with its exception while every other item comes out; an
/// <see cref="OperationCanceledException"/> from user code is an item failure unless the
/// pipeline's own token was cancelled.
/// </summary>
public sealed class ErrorPolicyTests
{
    // ---------------------------------------------------------------------------------------
    // FailPipeline (the default).

    [Fact]
    public async Task FailPipeline_ItemThrows_CompletionFaultsWithTheOriginalException()
    {
        StageFailure? thrown = null;
        Pipeline<int> pipeline = Pipeline.Create<int>()
            .Select(i => i == 4 ? throw (thrown = new StageFailure(i)) : i)
            .Select(i => i)
            .ForEach(_ => { });

        await SendAll(pipeline, Enumerable.Range(0, 10));

        Exception failure = await FailureOf(pipeline.Completion);
        Assert.Same(thrown, failure);
        Assert.True(pipeline.Completion.IsFaulted);
        Assert.Same(thrown, Assert.Single(pipeline.Completion.Exception!.InnerExceptions));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task FailPipeline_Ordered_DeliversOnlyOutputsBeforeTheFailingItem(int parallelism)
    {
        const int Failing = 20;
        var (pipeline, output) = Pipeline.Create<int>()
            .SelectAsync(
                async i =>
                {
                    // Items after the failing one finish first, to tempt the stage to let them out.
                    if (i <= Failing)
                    {
                        await Task.Delay(1);
                    }

                    return i == Failing ? throw new StageFailure(i) : i;
                },
                new StageOptions { Parallelism = parallelism })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 50));

        Exception failure = await FailureOf(pipeline.Completion);
        Assert.Equal(Failing, Assert.IsType<StageFailure>(failure).Item);
        var (delivered, closed) = await DrainOutcome(output);
        Assert.Same(failure, closed?.InnerException);
        Assert.Equal(Enumerable.Range(0, delivered.Count), delivered);
        Assert.True(delivered.Count <= Failing, $"{delivered.Count} outputs, some after the failing item");
    }

    [Fact]
    public async Task FailPipeline_InTheTerminal_FaultsWithTheOriginalException()
    {
        var thrown = new StageFailure(7);
        Pipeline<int> pipeline = Pipeline.Create<int>().ForEachAsync(async (i, _) =>
        {
            await Task.Yield();
            if (i == 7)
            {
                throw thrown;
            }
        });

        await SendAll(pipeline, Enumerable.Range(0, 10));

        Assert.Same(thrown, await FailureOf(pipeline.Completion));
    }

    // ---------------------------------------------------------------------------------------
    // Skip.

    [Fact]
    public async Task Skip_FailingItemsAreDropped_OthersComeOutInOrder()
    {
        var (pipeline, output) = Pipeline.Create<int>()
            .Select(i => i % 10 == 3 ? throw new StageFailure(i) : i, new StageOptions { OnError = ErrorPolicy.Skip, Parallelism = 3 })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 100));

        Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 10 != 3), await Drain(output));
        await pipeline.Completion.Within();
        Assert.Contains("failed 10", pipeline.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skip_InForEach_DropsTheItemAndGoesOn()
    {
        var seen = new List<int>();
        Pipeline<int> pipeline = Pipeline.Create<int>().ForEach(
            i =>
            {
                if (i == 2)
                {
                    throw new StageFailure(i);
                }

                seen.Add(i);
            },
            new StageOptions { OnError = ErrorPolicy.Skip });

        await SendAll(pipeline, Enumerable.Range(0, 5));
        await pipeline.Completion.Within();

        Assert.Equal([0, 1, 3, 4], seen);
    }

    // ---------------------------------------------------------------------------------------
    // RouteTo.

    [Fact]
    public async Task RouteTo_DeadLetterReportedOnceWithItsException_EveryOtherItemComesOut()
    {
        var (deadPort, deadChan) = Chan.New<DeadLetter>();
        StageFailure? thrown = null;
        var (pipeline, output) = Pipeline.Create<int>()
            .Select(
                i => i == 42 ? throw (thrown = new StageFailure(i)) : i * 2,
                new StageOptions { Name = "double", Parallelism = 4, OnError = ErrorPolicy.RouteTo(deadChan) })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 100));

        Assert.Equal(Enumerable.Range(0, 100).Where(i => i != 42).Select(i => i * 2), await Drain(output));
        await pipeline.Completion.Within();
        DeadLetter letter = Assert.Single(TakeBuffered(deadPort));
        Assert.Equal(42, letter.Item);
        Assert.Equal("double", letter.Stage);
        Assert.Same(thrown, letter.Exception);
        Assert.False(deadChan.IsClosed, "the pipeline does not own the dead-letter chan");
    }

    [Fact]
    public async Task RouteTo_SharedChan_SeveralStagesReportToOneChan()
    {
        var (deadPort, dead) = SharedChan.New<DeadLetter>();
        var (pipeline, output) = Pipeline.Create<int>()
            .Select(i => i == 1 ? throw new StageFailure(i) : i, new StageOptions { Name = "first", OnError = ErrorPolicy.RouteTo(dead.Clone()) })
            .SelectAsync(async i => i == 2 ? throw new StageFailure(i) : await Task.FromResult(i), new StageOptions { Name = "second", OnError = ErrorPolicy.RouteTo(dead) })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 5));

        Assert.Equal([0, 3, 4], await Drain(output));
        await pipeline.Completion.Within();
        List<DeadLetter> letters = TakeBuffered(deadPort);
        Assert.Equal([(1, "first"), (2, "second")], letters.Select(l => ((int)l.Item!, l.Stage)).Order());
    }

    [Fact]
    public async Task RouteTo_DeadLetterChanClosed_FailsThePipelineWithTheRefusal()
    {
        var (_, deadChan) = Chan.New<DeadLetter>();
        deadChan.Close();
        Pipeline<int> pipeline = Pipeline.Create<int>()
            .Select(i => i == 1 ? throw new StageFailure(i) : i, new StageOptions { OnError = ErrorPolicy.RouteTo(deadChan) })
            .ForEach(_ => { });

        await SendAll(pipeline, Enumerable.Range(0, 3));

        Assert.IsType<ChannelClosedException>(await FailureOf(pipeline.Completion));
    }

    // ---------------------------------------------------------------------------------------
    // OperationCanceledException from user code.

    [Fact]
    public async Task UserCancellation_Skip_IsCountedAsAFailedItem()
    {
        using var unrelated = new CancellationTokenSource();
        await unrelated.CancelAsync();
        var (pipeline, output) = Pipeline.Create<int>()
            .SelectAsync(
                async i =>
                {
                    await Task.Yield();
                    unrelated.Token.ThrowIfCancellationRequested();
                    return i;
                },
                new StageOptions { OnError = ErrorPolicy.Skip })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 5));

        Assert.Empty(await Drain(output));
        await pipeline.Completion.Within();
        Assert.Equal(TaskStatus.RanToCompletion, pipeline.Completion.Status);
        Assert.Contains("in 5 · out 0 · failed 5", pipeline.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserCancellation_FailPipeline_CompletionFaultsWithIt()
    {
        OperationCanceledException? thrown = null;
        Pipeline<int> pipeline = Pipeline.Create<int>()
            .Select(i => i == 2 ? throw (thrown = new OperationCanceledException("user code gave up")) : i)
            .ForEach(_ => { });

        await SendAll(pipeline, Enumerable.Range(0, 5));

        Exception failure = await FailureOf(pipeline.Completion);
        Assert.Same(thrown, failure);
        Assert.Equal(TaskStatus.Faulted, pipeline.Completion.Status);
    }

    [Fact]
    public async Task UserCancellation_RouteTo_ReportsTheCancelledItem()
    {
        var (deadPort, deadChan) = Chan.New<DeadLetter>();
        var (pipeline, output) = Pipeline.Create<int>()
            .SelectAsync(
                i => i == 3 ? Task.FromCanceled<int>(new CancellationToken(canceled: true)) : Task.FromResult(i),
                new StageOptions { OnError = ErrorPolicy.RouteTo(deadChan) })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 6));

        Assert.Equal([0, 1, 2, 4, 5], await Drain(output));
        DeadLetter letter = Assert.Single(TakeBuffered(deadPort));
        Assert.Equal(3, letter.Item);
        Assert.IsAssignableFrom<OperationCanceledException>(letter.Exception);
    }

    [Fact]
    public async Task PipelineTokenCancelled_StageThrowsOperationCanceled_IsNoItemFailure()
    {
        using var cancel = new CancellationTokenSource();
        var (deadPort, deadChan) = Chan.New<DeadLetter>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Pipeline<int> pipeline = Pipeline.Create<int>(new PipelineOptions { CancellationToken = cancel.Token })
            .SelectAsync(
                async (i, token) =>
                {
                    entered.TrySetResult();
                    await Task.Delay(Timeout.Infinite, token);
                    return i;
                },
                new StageOptions { OnError = ErrorPolicy.RouteTo(deadChan), Parallelism = 2 })
            .ForEach(_ => { });

        await pipeline.SendAsync(1).Within();
        await pipeline.SendAsync(2).Within();
        await entered.Task.Within();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.Completion.Within());
        Assert.True(pipeline.Completion.IsCanceled);
        Assert.Empty(TakeBuffered(deadPort));
        Assert.DoesNotMatch("failed [1-9]", pipeline.Describe());
    }
}
