using static Flow.Tests.Pipelines.PipelineKit;

namespace Flow.Tests.Pipelines;

/// <summary>
/// Each stage and terminal of a pipeline (DESIGN.md, "Pipelines"): what it puts out, in which
/// order, and that the pipeline completes after its input does.
/// </summary>
public sealed class PipelineStageTests
{
    private static readonly int[] s_items = [.. Enumerable.Range(0, 100)];

    // ---------------------------------------------------------------------------------------
    // Stages.

    [Fact]
    public async Task Select_EveryItem_IsMappedInOrder()
    {
        var (pipeline, output) = Pipeline.Create<int>().Select(i => i * 2).ToPort();

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items.Select(i => i * 2), await Drain(output));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task SelectAsync_WithToken_GetsThePipelinesLiveToken()
    {
        var tokens = new List<CancellationToken>();
        var (pipeline, output) = Pipeline.Create<int>()
            .SelectAsync(
                async (i, token) =>
                {
                    tokens.Add(token);
                    await Task.Yield();
                    return i + 1;
                })
            .ToPort();

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items.Select(i => i + 1), await Drain(output));
        await pipeline.Completion.Within();
        Assert.Equal(s_items.Length, tokens.Count);
        Assert.All(tokens, token => Assert.True(token.CanBeCanceled));
    }

    [Fact]
    public async Task SelectAsync_WithoutToken_IsMappedInOrder()
    {
        var (pipeline, output) = Pipeline.Create<int>()
            .SelectAsync(async i =>
            {
                await Task.Yield();
                return $"#{i}";
            })
            .ToPort();

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items.Select(i => $"#{i}"), await Drain(output));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task Where_KeepsOnlyAcceptedItems_InOrder()
    {
        var (pipeline, output) = Pipeline.Create<int>()
            .Where(i => i % 3 == 0)
            .Select(i => -i)
            .ToPort();

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items.Where(i => i % 3 == 0).Select(i => -i), await Drain(output));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task Where_Parallel_KeepsOrderOfAcceptedItems()
    {
        var (pipeline, output) = Pipeline.Create<int>()
            .Where(i => i % 2 == 1, new StageOptions { Parallelism = 4 })
            .ToPort();

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items.Where(i => i % 2 == 1), await Drain(output));
    }

    [Fact]
    public async Task SelectMany_Enumerable_FlattensInOrder()
    {
        var (pipeline, output) = Pipeline.Create<int>()
            .SelectMany(i => Enumerable.Repeat(i, i % 3))
            .ToPort();

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items.SelectMany(i => Enumerable.Repeat(i, i % 3)), await Drain(output));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task SelectMany_AsyncEnumerable_FlattensInOrder()
    {
        static async IAsyncEnumerable<int> Twice(int i)
        {
            yield return i;
            await Task.Yield();
            yield return i + 1000;
        }

        var (pipeline, output) = Pipeline.Create<int>()
            .SelectMany(Twice, new StageOptions { Parallelism = 3 })
            .ToPort();

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items.SelectMany(i => new[] { i, i + 1000 }), await Drain(output));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task SelectMany_SequenceThrowsHalfway_SkipDropsAllOfThatItemsOutputs()
    {
        static IEnumerable<int> ThreeUnlessFive(int i)
        {
            yield return i * 10;
            if (i == 5)
            {
                throw new StageFailure(i);
            }

            yield return (i * 10) + 1;
        }

        var (pipeline, output) = Pipeline.Create<int>()
            .SelectMany(ThreeUnlessFive, new StageOptions { OnError = ErrorPolicy.Skip })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 10));

        int[] expected = [.. Enumerable.Range(0, 10).Where(i => i != 5).SelectMany(i => new[] { i * 10, (i * 10) + 1 })];
        Assert.Equal(expected, await Drain(output));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task Batch_GroupsBySize_LastBatchShorter()
    {
        var (pipeline, output) = Pipeline.Create<int>().Batch(7).ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 30));

        List<int[]> batches = await Drain(output);
        Assert.Equal([7, 7, 7, 7, 2], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 30), batches.SelectMany(b => b));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task Batch_AfterWhere_GroupsOnlyKeptItems()
    {
        var (pipeline, output) = Pipeline.Create<int>().Where(i => i % 2 == 0).Batch(5).ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 20));

        List<int[]> batches = await Drain(output);
        Assert.Equal([[0, 2, 4, 6, 8], [10, 12, 14, 16, 18]], batches);
    }

    [Fact]
    public async Task Buffer_PassesEveryItemInOrder()
    {
        var (pipeline, output) = Pipeline.Create<int>().Buffer(3).Select(i => i).ToPort();

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items, await Drain(output));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task Buffer_FullAndNobodyTaking_HoldsBackTheSender()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new List<int>();
        Pipeline<int> pipeline = Pipeline.Create<int>(new PipelineOptions { InputCapacity = 1 })
            .Buffer(3)
            .ForEachAsync(
                async (i, _) =>
                {
                    await release.Task;
                    done.Add(i);
                },
                new StageOptions { Capacity = 1 });

        // 1 in the sink + 3 in the buffer + 1 at the input: the sixth send must wait.
        for (int i = 0; i < 5; i++)
        {
            await pipeline.SendAsync(i).Within();
        }

        ValueTask sixth = pipeline.SendAsync(5);
        await Task.Delay(50);
        Assert.False(sixth.IsCompleted, "the sixth send got through a full buffer");

        release.SetResult();
        await sixth.Within();
        pipeline.Complete();
        await pipeline.Completion.Within();
        Assert.Equal(Enumerable.Range(0, 6), done);
    }

    // ---------------------------------------------------------------------------------------
    // Order.

    [Fact]
    public async Task Select_OrderedWithParallelismAndShuffledDelays_KeepsInputOrder()
    {
        var (pipeline, output) = Pipeline.Create<int>()
            .SelectAsync(
                async i =>
                {
                    // Later items finish first: item i waits (9 - i % 10) yields.
                    for (int y = 0; y < 9 - (i % 10); y++)
                    {
                        await Task.Yield();
                    }

                    return i;
                },
                new StageOptions { Parallelism = 8 })
            .ToPort();

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items, await Drain(output));
    }

    [Fact]
    public async Task Select_Unordered_EmitsAsSoonAsDone_SameMultiset()
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (pipeline, output) = Pipeline.Create<int>()
            .SelectAsync(
                async i =>
                {
                    if (i == 0)
                    {
                        await first.Task;
                    }

                    return i;
                },
                new StageOptions { Parallelism = 4, Ordered = false })
            .ToPort();

        for (int i = 0; i < 10; i++)
        {
            await pipeline.SendAsync(i).Within();
        }

        pipeline.Complete();

        // Item 0 is held, yet later items come out: an unordered stage does not wait for it.
        int early = await output.RecvAsync().Within();
        Assert.NotEqual(0, early);
        first.SetResult();
        List<int> rest = await Drain(output);
        Assert.Equal(Enumerable.Range(0, 10), rest.Append(early).Order());
    }

    // ---------------------------------------------------------------------------------------
    // Terminals.

    [Fact]
    public async Task ForEach_RunsOnEveryItemInOrder()
    {
        var seen = new List<int>();
        Pipeline<int> pipeline = Pipeline.Create<int>().ForEach(seen.Add);

        await SendAll(pipeline, s_items);
        await pipeline.Completion.Within();

        Assert.Equal(s_items, seen);
    }

    [Fact]
    public async Task ForEachAsync_RunsOnEveryItem_WithTheToken()
    {
        var seen = new List<int>();
        Pipeline<int> pipeline = Pipeline.Create<int>().ForEachAsync(async (i, token) =>
        {
            Assert.True(token.CanBeCanceled);
            await Task.Yield();
            seen.Add(i);
        });

        await SendAll(pipeline, s_items);
        await pipeline.Completion.Within();

        Assert.Equal(s_items, seen);
    }

    [Fact]
    public async Task To_Chan_ClosedWhenThePipelineCompletes()
    {
        var (port, chan) = Chan.New<int>();
        Pipeline<int> pipeline = Pipeline.Create<int>().Select(i => i + 1).To(chan);

        await SendAll(pipeline, s_items);

        Assert.Equal(s_items.Select(i => i + 1), await Drain(port));
        await pipeline.Completion.Within();
        await port.Completion.Within();
        Assert.True(chan.IsClosed);
    }

    [Fact]
    public async Task To_SharedChan_ClosesItsCloneWhenThePipelineCompletes()
    {
        var (port, shared) = SharedChan.New<int>();
        SharedChan<int> other = shared.Clone();
        Pipeline<int> pipeline = Pipeline.Create<int>().To(shared);

        await SendAll(pipeline, s_items);
        await pipeline.Completion.Within();
        other.Send(-1);
        other.Close();

        Assert.Equal(s_items.Append(-1), await Drain(port));
    }

    [Fact]
    public async Task ToPort_Bounded_HoldsBackTheLastStageUntilReceived()
    {
        int mapped = 0;
        var (pipeline, output) = Pipeline.Create<int>()
            .Select(i =>
            {
                Interlocked.Increment(ref mapped);
                return i;
            }, new StageOptions { Capacity = 1 })
            .ToPort(capacity: 2);

        Task sending = SendAll(pipeline, s_items);

        // Port 2 + the To stage 1 + the Select stage 1 (+ the item being mapped): far below 100.
        await Bounded.Eventually(() => Volatile.Read(ref mapped) >= 3, "the first items are mapped");
        await Task.Delay(50);
        Assert.InRange(Volatile.Read(ref mapped), 3, 6);

        Assert.Equal(s_items, await Drain(output));
        await sending.Within();
        await pipeline.Completion.Within();
    }

    // ---------------------------------------------------------------------------------------
    // Options.

    [Fact]
    public async Task Scheduler_StageRunsOnThatSchedulersThreads()
    {
        using Scheduler dedicated = Scheduler.Dedicated(1, "pipes-stage");
        var (pipeline, output) = Pipeline.Create<int>()
            .Select(_ => Thread.CurrentThread.Name, new StageOptions { Scheduler = dedicated })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 10));

        Assert.All(await Drain(output), name => Assert.Equal("pipes-stage-0", name));
    }

    [Fact]
    public async Task DefaultStageOptions_ApplyToStagesWithoutTheirOwn()
    {
        var options = new PipelineOptions { DefaultStageOptions = new StageOptions { OnError = ErrorPolicy.Skip } };
        var (pipeline, output) = Pipeline.Create<int>(options)
            .Select(i => i == 3 ? throw new StageFailure(i) : i)
            .Select(i => i == 6 ? throw new StageFailure(i) : i, new StageOptions())
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 10));

        // The first stage skips 3 (the default); the second has its own options, so 6 fails the pipeline.
        Exception failure = await FailureOf(pipeline.Completion);
        Assert.Equal(6, Assert.IsType<StageFailure>(failure).Item);
        Assert.DoesNotContain(3, TakeBuffered(output));
    }

    [Fact]
    public async Task Pipe_FromPort_CarriesEveryMessageAndCompletesAtClose()
    {
        var (input, chan) = Chan.New<int>();
        var (pipeline, output) = input.Pipe().Select(i => i * 3).ToPort();

        foreach (int i in s_items)
        {
            chan.Send(i);
        }

        chan.Close();

        Assert.Equal(s_items.Select(i => i * 3), await Drain(output));
        await pipeline.Completion.Within();
    }
}
