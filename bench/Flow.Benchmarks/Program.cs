using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Flow.Benchmarks -- --filter '*'` runs everything;
// see bench/README.md for the short suite and how to read the results.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new Flow.Benchmarks.FlowBenchmarkConfig());
