using System.Text.RegularExpressions;
using static Flow.Tests.Pipelines.PipelineKit;

namespace Flow.Tests.Pipelines;

/// <summary>
/// <see cref="Pipeline{TIn}.Describe"/>: Mermaid text, <c>flowchart LR</c>, one node per stage
/// with its parallelism, capacity, order and error policy, and its counts after a run.
/// </summary>
public sealed class DescribeTests
{
    [Fact]
    public async Task Describe_AfterARun_OneNodePerStageWithSettingsAndCounts()
    {
        var (deadPort, deadChan) = Chan.New<DeadLetter>();
        var (pipeline, output) = Pipeline.Create<int>(new PipelineOptions { Name = "numbers" })
            .Select(i => i == 7 ? throw new StageFailure(i) : i, new StageOptions { Name = "parse", Parallelism = 4, Capacity = 10, OnError = ErrorPolicy.RouteTo(deadChan) })
            .Where(i => i % 2 == 0, new StageOptions { Name = "even", Ordered = false, OnError = ErrorPolicy.Skip })
            .SelectAsync(i => Task.FromResult(i * 3), new StageOptions { Name = "triple" })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 20));
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i % 2 == 0).Select(i => i * 3), await Drain(output));
        await pipeline.Completion.Within();
        Assert.Single(TakeBuffered(deadPort));

        string mermaid = pipeline.Describe();

        Assert.StartsWith("flowchart LR\n", mermaid, StringComparison.Ordinal);
        string[] nodes = Nodes(mermaid);
        Assert.Equal(5, nodes.Length);
        Assert.Contains("numbers", nodes[0], StringComparison.Ordinal);
        Assert.Contains("in 20", nodes[0], StringComparison.Ordinal);
        Assert.Contains("parse", nodes[1], StringComparison.Ordinal);
        Assert.Contains("parallelism 4, capacity 10, ordered, on error: route to dead letters", nodes[1], StringComparison.Ordinal);
        Assert.Contains("in 20 · out 19 · failed 1", nodes[1], StringComparison.Ordinal);
        Assert.Contains("even", nodes[2], StringComparison.Ordinal);
        Assert.Contains("parallelism 1, capacity ∞, unordered, on error: skip", nodes[2], StringComparison.Ordinal);
        Assert.Contains("in 19 · out 10 · failed 0", nodes[2], StringComparison.Ordinal);
        Assert.Contains("triple", nodes[3], StringComparison.Ordinal);
        Assert.Contains("on error: fail pipeline", nodes[3], StringComparison.Ordinal);
        Assert.Contains("in 10 · out 10 · failed 0", nodes[3], StringComparison.Ordinal);
        Assert.Contains("in 10 · out 10", nodes[4], StringComparison.Ordinal);

        // A straight line: s0 --> s1 --> … --> s4.
        Assert.Equal(
            ["s0 --> s1", "s1 --> s2", "s2 --> s3", "s3 --> s4"],
            Regex.Matches(mermaid, @"s\d+ --> s\d+").Select(m => m.Value));
    }

    [Fact]
    public void Describe_BeforeARun_ShowsZeroCounts()
    {
        Pipeline<int> pipeline = Pipeline.Create<int>()
            .Select(i => i, new StageOptions { Parallelism = 2 })
            .ForEach(_ => { });

        string mermaid = pipeline.Describe();

        Assert.StartsWith("flowchart LR", mermaid, StringComparison.Ordinal);
        Assert.Equal(3, Nodes(mermaid).Length);
        Assert.Contains("in 0 · out 0 · failed 0", mermaid, StringComparison.Ordinal);
        Assert.Contains("parallelism 2", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_Tee_BranchesFromTheTeeNode()
    {
        Pipeline<int> pipeline = Pipeline.Create<int>()
            .Tee(branch => branch.ForEach(_ => { }, new StageOptions { Name = "audit" }))
            .ForEach(_ => { }, new StageOptions { Name = "store" });

        string mermaid = pipeline.Describe();

        string[] nodes = Nodes(mermaid);
        Assert.Equal(4, nodes.Length);
        string tee = Assert.Single(nodes, n => n.Contains("Tee", StringComparison.Ordinal));
        string teeId = tee.TrimStart()[..tee.TrimStart().IndexOf('[', StringComparison.Ordinal)];
        Assert.Equal(2, Regex.Count(mermaid, $@"{teeId} --> s\d+"));
    }

    [Fact]
    public void Describe_NameWithQuotes_StaysValidMermaid()
    {
        Pipeline<int> pipeline = Pipeline.Create<int>()
            .Select(i => i, new StageOptions { Name = "say \"hi\"" })
            .ForEach(_ => { });

        string node = Nodes(pipeline.Describe())[1];

        // The node's label is the one quoted string between [" and "].
        Assert.Equal(2, node.Count(ch => ch == '"'));
    }
}
