using BenchmarkDotNet.Running;
using Flow.Benchmarks.Report;

// `dotnet run -c Release --project bench/Flow.Benchmarks -- --filter '*PingPong*'` runs benchmarks;
// `... -- --report` runs the short suite and writes docs/benchmarks.md (see bench/README.md).
if (args.Contains(ReportCommand.Flag))
{
    return ReportCommand.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, Flow.Benchmarks.FlowBenchmarkConfig.ForArguments(args, Flow.Benchmarks.FlowBenchmarkConfig.DefaultJob));
return 0;
