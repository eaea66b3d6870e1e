namespace Flow.Tests.Pipelines;

/// <summary>
/// Misuse gets a clear exception at once (DESIGN.md, "Channels": "Misuse gets a clear exception,
/// never a hang or a silent drop"): null delegates, out-of-range options, a builder used twice, a
/// Tee branch without a terminal, sends to a port-fed pipeline.
/// </summary>
public sealed class PipelineArgumentTests
{
    private static PipelineBuilder<int, int> Builder() => Pipeline.Create<int>();

    // ---------------------------------------------------------------------------------------
    // Nulls.

    public static TheoryData<string, Action> NullArguments => new()
    {
        { "Select", () => Builder().Select<int>(null!) },
        { "SelectAsync(item, token)", () => Builder().SelectAsync((Func<int, CancellationToken, Task<int>>)null!) },
        { "SelectAsync(item)", () => Builder().SelectAsync((Func<int, Task<int>>)null!) },
        { "Where", () => Builder().Where(null!) },
        { "SelectMany(IEnumerable)", () => Builder().SelectMany((Func<int, IEnumerable<int>>)null!) },
        { "SelectMany(IAsyncEnumerable)", () => Builder().SelectMany((Func<int, IAsyncEnumerable<int>>)null!) },
        { "Tee", () => Builder().Tee(null!) },
        { "ForEach", () => Builder().ForEach(null!) },
        { "ForEachAsync", () => Builder().ForEachAsync(null!) },
        { "To(Chan)", () => Builder().To((Chan<int>)null!) },
        { "To(SharedChan)", () => Builder().To((SharedChan<int>)null!) },
        { "RouteTo(Chan)", () => ErrorPolicy.RouteTo((Chan<DeadLetter>)null!) },
        { "RouteTo(SharedChan)", () => ErrorPolicy.RouteTo((SharedChan<DeadLetter>)null!) },
        { "Merge(null)", () => Pipeline.Merge<int>(null!) },
        { "Merge([null])", () => Pipeline.Merge<int>([null!]) },
        { "Pipe", () => ((Port<int>)null!).Pipe() },
    };

    [Theory]
    [MemberData(nameof(NullArguments))]
    public void Member_NullArgument_ThrowsArgumentNull(string member, Action call)
    {
        var thrown = Assert.Throws<ArgumentNullException>(call);
        Assert.False(string.IsNullOrEmpty(thrown.ParamName), member);
    }

    // ---------------------------------------------------------------------------------------
    // Ranges.

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Parallelism_LessThanOne_ThrowsArgumentOutOfRange(int parallelism)
    {
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => new StageOptions { Parallelism = parallelism });
        Assert.Equal(nameof(StageOptions.Parallelism), thrown.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Capacity_LessThanOne_ThrowsArgumentOutOfRange(int capacity)
    {
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => new StageOptions { Capacity = capacity });
        Assert.Equal(nameof(StageOptions.Capacity), thrown.ParamName);
    }

    [Fact]
    public void Capacity_Null_MeansUnbounded()
    {
        var options = new StageOptions { Capacity = 3 } with { Capacity = null };

        Assert.Null(options.Capacity);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void InputCapacity_LessThanOne_ThrowsArgumentOutOfRange(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PipelineOptions { InputCapacity = capacity });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void BatchAndBuffer_SizeLessThanOne_ThrowArgumentOutOfRange(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder().Batch(size));
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder().Batch(size, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder().Buffer(size));
    }

    [Fact]
    public void Batch_IntervalNotPositive_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder().Batch(3, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => Builder().Batch(3, TimeSpan.FromMilliseconds(-1)));
    }

    [Fact]
    public void Merge_NoPorts_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => Pipeline.Merge<int>([]));
    }

    // ---------------------------------------------------------------------------------------
    // A builder is used once.

    public static TheoryData<string, Action<PipelineBuilder<int, int>>> Uses => new()
    {
        { "Select", b => b.Select(i => i) },
        { "SelectAsync", b => b.SelectAsync(Task.FromResult) },
        { "Where", b => b.Where(_ => true) },
        { "SelectMany", b => b.SelectMany(i => new[] { i }) },
        { "Batch", b => b.Batch(2) },
        { "Buffer", b => b.Buffer(2) },
        { "Tee", b => b.Tee(branch => branch.ForEach(_ => { })) },
        { "ForEach", b => b.ForEach(_ => { }) },
        { "ForEachAsync", b => b.ForEachAsync((_, _) => Task.CompletedTask) },
        { "To", b => b.To(Chan.New<int>().Chan) },
        { "ToPort", b => b.ToPort() },
    };

    [Theory]
    [MemberData(nameof(Uses))]
    public void Builder_AfterItWasContinued_ThrowsInvalidOperation(string second, Action<PipelineBuilder<int, int>> use)
    {
        PipelineBuilder<int, int> builder = Builder();
        builder.Select(i => i);

        Assert.Throws<InvalidOperationException>(() => use(builder));
        Assert.NotNull(second);
    }

    [Theory]
    [MemberData(nameof(Uses))]
    public void Builder_AfterItWasEnded_ThrowsInvalidOperation(string second, Action<PipelineBuilder<int, int>> use)
    {
        PipelineBuilder<int, int> builder = Builder();
        builder.ForEach(_ => { });

        Assert.Throws<InvalidOperationException>(() => use(builder));
        Assert.NotNull(second);
    }

    [Fact]
    public async Task Builder_RejectedReuse_LeavesTheFirstPipelineWorking()
    {
        PipelineBuilder<int, int> builder = Builder();
        var (pipeline, output) = builder.Select(i => i + 1).ToPort();
        Assert.Throws<InvalidOperationException>(() => builder.Select(i => i));

        await PipelineKit.SendAll(pipeline, [1, 2, 3]);

        Assert.Equal([2, 3, 4], await PipelineKit.Drain(output));
        await pipeline.Completion.Within();
    }

    // ---------------------------------------------------------------------------------------
    // Tee branches end with a terminal.

    [Fact]
    public void Tee_BranchNotUsed_ThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => Builder().Tee(_ => { }));
    }

    [Fact]
    public void Tee_BranchContinuedButNotEnded_ThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => Builder().Tee(branch => branch.Select(i => i).Where(_ => true)));
    }

    [Fact]
    public void Tee_BranchEndsOnlyItsInnerTee_ThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => Builder().Tee(branch => branch.Tee(inner => inner.ForEach(_ => { }))));
    }

    // ---------------------------------------------------------------------------------------
    // Sends to a pipeline fed from ports.

    [Fact]
    public async Task Send_PortFedPipeline_ThrowsInvalidOperation()
    {
        var (port, _) = Chan.New<int>();
        Pipeline<int> pipeline = port.Pipe().ForEach(_ => { });

        Assert.Throws<InvalidOperationException>(() => pipeline.Send(1));
        Assert.Throws<InvalidOperationException>(() => pipeline.TrySend(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.SendAsync(1).AsTask());
    }
}
