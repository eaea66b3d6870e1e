using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace Flow.Benchmarks;

/// <summary>
/// One configuration for every benchmark: medians and ratios to the baseline measured in the same
/// run (the machines are shared and noisy), allocations per operation, and a job short enough for
/// the whole suite to fit in minutes on 2 cores.
/// </summary>
public sealed class FlowBenchmarkConfig : ManualConfig
{
    public FlowBenchmarkConfig()
        : this(DefaultJob)
    {
    }

    /// <param name="job">The job; null to leave the choice to the command line's <c>--job</c>.</param>
    public FlowBenchmarkConfig(Job? job)
    {
        // DefaultConfig brings the console logger, the exporters, the analysers and the validators
        // (a bare ManualConfig has none, and runs silently).
        Add(DefaultConfig.Instance);
        if (job is not null)
        {
            AddJob(job);
        }

        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
        HideColumns(Column.Error, Column.StdDev, Column.RatioSD);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
        WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }

    /// <summary>
    /// For one benchmark or a few. Marked as the default job, so that command-line options such as
    /// <c>--iterationCount</c> or <c>--inProcess</c> apply to it. BenchmarkDotNet ignores
    /// <c>--job</c> when the config has a default job, so <see cref="ForArguments"/> leaves the job
    /// out when <c>--job</c> is given.
    /// </summary>
    public static Job DefaultJob { get; } = Job.Default
        .WithWarmupCount(3)
        .WithIterationCount(12)
        .WithLaunchCount(1)
        .WithId("Flow")
        .AsDefault();

    /// <summary>
    /// The report's short suite: 1 warmup and 7 measured iterations of about 100 ms each (the
    /// median of 7 is stable enough for ratios on a quiet machine), in one process per benchmark.
    /// Classes with their own [WarmupCount]/[IterationCount] (the 1M-task ones) keep theirs.
    /// </summary>
    public static Job ReportJob { get; } = Job.Default
        .WithWarmupCount(1)
        .WithIterationCount(7)
        .WithIterationTime(TimeInterval.FromMilliseconds(100))
        .WithLaunchCount(1)
        .WithId("Report")
        .AsDefault();

    /// <summary>The config for a command line: <paramref name="job"/>, unless the command line names its own with <c>--job</c>.</summary>
    public static FlowBenchmarkConfig ForArguments(IEnumerable<string> args, Job job) =>
        new(args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal)) ? null : job);
}
