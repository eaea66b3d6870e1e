using System.Diagnostics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Flow.Benchmarks.Report;

/// <summary>
/// <c>--report</c>: runs the short suite (or what <c>--filter</c> selects) with
/// <see cref="FlowBenchmarkConfig.ReportJob"/>, then writes docs/benchmarks.md, its charts and
/// results.json. Other arguments go to BenchmarkDotNet as usual.
/// <list type="bullet">
/// <item><c>--out PATH</c>: the markdown file to write (default: docs/benchmarks.md in the repository).</item>
/// <item><c>--from PATH</c>: draw the report again from a results.json, without running anything.</item>
/// </list>
/// </summary>
public static class ReportCommand
{
    public const string Flag = "--report";

    public static int Run(string[] args)
    {
        var rest = new List<string>();
        string? outPath = null;
        string? fromPath = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case Flag:
                    break;
                case "--out" when i + 1 < args.Length:
                    outPath = args[++i];
                    break;
                case "--from" when i + 1 < args.Length:
                    fromPath = args[++i];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        string root = RepositoryRoot();
        outPath = Path.GetFullPath(outPath ?? Path.Combine(root, "docs", "benchmarks.md"));

        RunResults run;
        if (fromPath is not null)
        {
            run = RunResults.FromJson(File.ReadAllText(fromPath));
        }
        else
        {
            if (!rest.Any(a => a is "--filter" or "-f" || a.StartsWith("--filter=", StringComparison.Ordinal)))
            {
                rest.AddRange(["--filter", "*"]);
            }

            var clock = Stopwatch.StartNew();
            List<Summary> summaries = BenchmarkSwitcher
                .FromAssembly(typeof(ReportCommand).Assembly)
                .Run([.. rest], FlowBenchmarkConfig.ForArguments(rest, FlowBenchmarkConfig.ReportJob))
                .ToList();
            clock.Stop();
            if (summaries.Count == 0 || summaries.All(s => s.Reports.Length == 0))
            {
                Console.Error.WriteLine("No benchmark ran (check --filter); the report is left as it was.");
                return 1;
            }

            run = SummaryReader.Read(summaries, root, string.Join(' ', args), clock.Elapsed);
        }

        var outcomes = MarkdownReport.Write(run, outPath);
        Console.WriteLine();
        Console.WriteLine($"Report written to {outPath}");
        foreach (var (target, outcome) in outcomes)
        {
            Console.WriteLine($"  [{outcome.Status,-11}] {target.Goal}: {outcome.Measured}");
        }

        return 0;
    }

    /// <summary>The folder holding Flow.sln, searched upwards from the current directory, then from the program's.</summary>
    private static string RepositoryRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Flow.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Environment.CurrentDirectory;
    }
}
