using Microsoft.Extensions.Time.Testing;
using static Flow.Tests.Pipelines.PipelineKit;

namespace Flow.Tests.Pipelines;

/// <summary>
/// Tests that swap the process-wide <see cref="FlowRuntime.Current"/>: they run alone, after the
/// parallel tests, so no other test reads the fake clock.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeSwapGroup
{
    public const string Name = "Runtime swap";
}

/// <summary>
/// The thread-pool runtime with a fake clock: scheduling and randomness as in production, time
/// only when the test advances it.
/// </summary>
internal sealed class FakeClockRuntime(FakeTimeProvider time) : FlowRuntime
{
    private static readonly FlowRuntime s_pool = ThreadPoolRuntime.Instance;

    public override TimeProvider Time => time;

    public override void Schedule(IThreadPoolWorkItem work) => s_pool.Schedule(work);

    public override void Start(IThreadPoolWorkItem task) => s_pool.Start(task);

    public override void Schedule(Action<object?> callback, object? state) => s_pool.Schedule(callback, state);

    public override void Resume(Action<object?> continuation, object? state) => s_pool.Resume(continuation, state);

    public override int NextRandom(int exclusiveMax) => s_pool.NextRandom(exclusiveMax);

    /// <summary>Builds with the fake clock in force, then puts the original runtime back.</summary>
    public static T With<T>(FakeTimeProvider time, Func<T> build)
    {
        FlowRuntime original = FlowRuntime.Current;
        FlowRuntime.Current = new FakeClockRuntime(time);
        try
        {
            return build();
        }
        finally
        {
            FlowRuntime.Current = original;
        }
    }
}

/// <summary>
/// <c>Batch(n, TimeSpan)</c> flushes a partial batch when the interval passes on the runtime's
/// clock (DESIGN.md, "Testability seam": <c>Batch(n, TimeSpan)</c> uses the <see cref="TimeProvider"/>),
/// so these tests move a <see cref="FakeTimeProvider"/> instead of sleeping.
/// </summary>
[Collection(RuntimeSwapGroup.Name)]
public sealed class BatchIntervalTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(5);

    private static async Task<IEnumerable<int>> Next(Port<int[]> output) => await output.RecvAsync().Within();

    /// <summary>Waits until the input stage has handed every sent item on (greedy Batch took them).</summary>
    private static Task InputDrained(Pipeline<int> pipeline, int sent) =>
        Bounded.Eventually(
            () => Nodes(pipeline.Describe())[0].Contains($"in {sent} · queued 0", StringComparison.Ordinal),
            $"the input handed all {sent} items to the batch");

    [Fact]
    public async Task BatchInterval_PartialBatch_FlushedWhenTheIntervalPassesOnTheClock()
    {
        var time = new FakeTimeProvider();
        var (pipeline, output) = FakeClockRuntime.With(time, () => Pipeline.Create<int>().Batch(10, s_interval).ToPort());

        for (int i = 0; i < 3; i++)
        {
            await pipeline.SendAsync(i).Within();
        }

        await InputDrained(pipeline, 3);

        // Not full and the clock has not moved: nothing comes out.
        time.Advance(s_interval - TimeSpan.FromTicks(1));
        await Task.Delay(20);
        Assert.False(output.TryRecv(out _));

        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal([0, 1, 2], await Next(output));

        pipeline.Complete();
        Assert.Empty(await Drain(output));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task BatchInterval_FullBatchesGoOutWithoutTheClock_TheRestAtTheNextTick()
    {
        var time = new FakeTimeProvider();
        var (pipeline, output) = FakeClockRuntime.With(time, () => Pipeline.Create<int>().Batch(4, s_interval).ToPort());

        for (int i = 0; i < 10; i++)
        {
            await pipeline.SendAsync(i).Within();
        }

        Assert.Equal([0, 1, 2, 3], await Next(output));
        Assert.Equal([4, 5, 6, 7], await Next(output));
        await InputDrained(pipeline, 10);

        time.Advance(s_interval);
        Assert.Equal([8, 9], await Next(output));

        // Periodic: the next interval flushes what came since.
        await pipeline.SendAsync(10).Within();
        await InputDrained(pipeline, 11);
        time.Advance(s_interval);
        Assert.Equal([10], await Next(output));

        pipeline.Complete();
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task BatchInterval_NothingWaiting_TickEmitsNoEmptyBatch()
    {
        var time = new FakeTimeProvider();
        var (pipeline, output) = FakeClockRuntime.With(time, () => Pipeline.Create<int>().Batch(3, s_interval).ToPort());

        time.Advance(s_interval * 3);
        await pipeline.SendAsync(1).Within();
        await InputDrained(pipeline, 1);
        time.Advance(s_interval);

        Assert.Equal([1], await Next(output));
        pipeline.Complete();
        Assert.Empty(await Drain(output));
        await pipeline.Completion.Within();
    }

    [Fact]
    public async Task BatchInterval_CompleteFlushesTheRestWithoutTheClock()
    {
        var time = new FakeTimeProvider();
        var (pipeline, output) = FakeClockRuntime.With(time, () => Pipeline.Create<int>().Batch(10, s_interval).ToPort());

        await SendAll(pipeline, [1, 2]);

        Assert.Equal([[1, 2]], await Drain(output));
        await pipeline.Completion.Within();
    }
}
