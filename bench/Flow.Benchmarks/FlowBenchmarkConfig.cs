using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace Flow.Benchmarks;

/// <summary>
/// One configuration for every benchmark: medians and ratios to the baseline measured in the same
/// run (the machines are shared and noisy), allocations per operation, and a job short enough for
/// the whole suite to fit in minutes on 2 cores.
/// </summary>
public sealed class FlowBenchmarkConfig : ManualConfig
{
    public FlowBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithWarmupCount(3)
            .WithIterationCount(12)
            .WithLaunchCount(1)
            .WithId("Flow"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
        AddColumnProvider(DefaultColumnProviders.Instance);
        HideColumns(Column.Error, Column.StdDev, Column.RatioSD);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
        WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }
}
