using static Flow.Tests.Pipelines.PipelineKit;

namespace Flow.Tests.Pipelines;

/// <summary>
/// <see cref="PipelineBuilder{TIn, T}.Tee"/>: every item goes down both branches, in order; the
/// slower branch holds the faster one back, so nothing is dropped and nothing piles up.
/// </summary>
public sealed class TeeTests
{
    [Fact]
    public async Task Tee_EveryItemReachesBothBranchesInOrder()
    {
        var (branchPort, branchChan) = Chan.New<int>();
        var (pipeline, main) = Pipeline.Create<int>()
            .Select(i => i * 10)
            .Tee(branch => branch.Select(i => i + 1).To(branchChan))
            .Select(i => i + 2)
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 200));

        Task<List<int>> side = Drain(branchPort);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (i * 10) + 2), await Drain(main));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (i * 10) + 1), await side);
        await pipeline.Completion.Within();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tee_SlowerBranch_HoldsBackTheFasterOne(bool slowBranchIsTheTee)
    {
        const int Items = 100;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fast = new List<int>();
        var slow = new List<int>();
        int fastCount = 0;
        int sent = 0;

        Func<int, CancellationToken, Task> Slow() => async (i, _) =>
        {
            await gate.Task;
            slow.Add(i);
        };
        Action<int> Fast() => i =>
        {
            fast.Add(i);
            Interlocked.Increment(ref fastCount);
        };

        // The slow side holds 2 items (Capacity = 2); the fast side is unbounded.
        var bounded = new StageOptions { Capacity = 2 };
        PipelineBuilder<int, int> start = Pipeline.Create<int>(new PipelineOptions { InputCapacity = 1 });
        Pipeline<int> pipeline = slowBranchIsTheTee
            ? start.Tee(branch => branch.ForEachAsync(Slow(), bounded)).ForEach(Fast())
            : start.Tee(branch => branch.ForEach(Fast())).ForEachAsync(Slow(), bounded);

        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < Items; i++)
            {
                await pipeline.SendAsync(i);
                Interlocked.Increment(ref sent);
            }

            pipeline.Complete();
        });

        // Until the gate opens the slow side takes nothing, so the producer soon stops and the
        // fast side is held a few items ahead: the slow side's 2, one in each Tee buffer, one in
        // the Tee itself and one at the input.
        await Bounded.Eventually(() => Volatile.Read(ref fastCount) >= 2, "the fast side got the first items");
        int stalled;
        do
        {
            stalled = Volatile.Read(ref sent);
            await Task.Delay(50);
        }
        while (stalled != Volatile.Read(ref sent));

        Assert.InRange(stalled, 2, 8);
        Assert.InRange(Volatile.Read(ref fastCount), 2, 8);

        gate.SetResult();
        await producer.Within();
        await pipeline.Completion.Within();
        Assert.Equal(Enumerable.Range(0, Items), fast);
        Assert.Equal(Enumerable.Range(0, Items), slow);
    }

    [Fact]
    public async Task Tee_FailureInTheBranch_FaultsThePipelineAndTheMainPort()
    {
        var thrown = new StageFailure(3);
        var (pipeline, main) = Pipeline.Create<int>()
            .Tee(branch => branch.ForEach(i =>
            {
                if (i == 3)
                {
                    throw thrown;
                }
            }))
            .ToPort();

        try
        {
            await SendAll(pipeline, Enumerable.Range(0, 10));
        }
        catch (ChannelClosedException refused)
        {
            // The first stage takes the sends itself, so once the branch failed, sends are refused
            // with the failure inside.
            Assert.Same(thrown, refused.InnerException);
        }

        Assert.Same(thrown, await FailureOf(pipeline.Completion));
        var (_, closed) = await DrainOutcome(main);
        Assert.Same(thrown, closed?.InnerException);
    }

    [Fact]
    public async Task Tee_Nested_EveryTerminalGetsEveryItem()
    {
        var a = new List<int>();
        var b = new List<int>();
        var c = new List<int>();
        Pipeline<int> pipeline = Pipeline.Create<int>()
            .Tee(branch => branch
                .Tee(inner => inner.ForEach(a.Add))
                .ForEach(b.Add))
            .ForEach(c.Add);

        await SendAll(pipeline, Enumerable.Range(0, 50));
        await pipeline.Completion.Within();

        Assert.Equal(Enumerable.Range(0, 50), a);
        Assert.Equal(Enumerable.Range(0, 50), b);
        Assert.Equal(Enumerable.Range(0, 50), c);
    }

    [Fact]
    public async Task Tee_CompletesOnlyWhenBothBranchesEnded()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int slowDone = 0;
        Pipeline<int> pipeline = Pipeline.Create<int>()
            .Tee(branch => branch.ForEachAsync(async (_, _) =>
            {
                await gate.Task;
                Interlocked.Increment(ref slowDone);
            }))
            .ForEach(_ => { });

        await SendAll(pipeline, Enumerable.Range(0, 5));
        await Task.Delay(20);
        Assert.False(pipeline.Completion.IsCompleted);

        gate.SetResult();
        await pipeline.Completion.Within();
        Assert.Equal(5, slowDone);
    }
}
