using System.Diagnostics;
using BenchmarkDotNet.Reports;

namespace Flow.Benchmarks.Report;

/// <summary>Turns BenchmarkDotNet's summaries into <see cref="RunResults"/>, whatever classes ran.</summary>
public static class SummaryReader
{
    public static RunResults Read(IReadOnlyList<Summary> summaries, string repoRoot, string arguments, TimeSpan duration)
    {
        var rows = new List<ResultRow>();
        foreach (Summary summary in summaries)
        {
            foreach (BenchmarkReport report in summary.Reports)
            {
                var descriptor = report.BenchmarkCase.Descriptor;
                double? allocated = null;
                if (report.GcStats.TotalOperations > 0 && report.GcStats.GetTotalAllocatedBytes(excludeAllocationQuantumSideEffects: true) is long bytes)
                {
                    allocated = (double)bytes / report.GcStats.TotalOperations;
                }

                var stats = report.ResultStatistics;
                rows.Add(new ResultRow
                {
                    Class = descriptor.Type.Name,
                    Method = descriptor.WorkloadMethod.Name,
                    Params = report.BenchmarkCase.Parameters.Items.Select(p => new BenchParam(p.Name, p.ToDisplayText())).ToList(),
                    Categories = descriptor.Categories.ToList(),
                    Baseline = descriptor.Baseline,
                    MedianNs = report.Success && stats is not null ? stats.Median : null,
                    Q1Ns = stats?.Q1,
                    Q3Ns = stats?.Q3,
                    Iterations = stats?.N ?? 0,
                    AllocatedBytesPerOp = allocated,
                });
            }
        }

        Summary? first = summaries.Count > 0 ? summaries[0] : null;
        var host = first?.HostEnvironmentInfo;
        var job = first?.BenchmarksCases.FirstOrDefault()?.Job;
        return new RunResults
        {
            Rows = rows,
            Info = new RunInfo
            {
                Date = DateTimeOffset.UtcNow,
                Commit = GitCommit(repoRoot),
                Host = host?.ToFormattedString().ToList() ?? [],
                Cpu = host?.Cpu.Value?.ProcessorName ?? "unknown",
                LogicalCores = Environment.ProcessorCount,
                Os = host?.Os.Value?.ToString() ?? Environment.OSVersion.ToString(),
                Sdk = host?.DotNetSdkVersion.Value ?? "unknown",
                Runtime = host?.RuntimeVersion ?? Environment.Version.ToString(),
                BenchmarkDotNet = host?.BenchmarkDotNetVersion ?? "unknown",
                Job = job?.DisplayInfo ?? "",
                Arguments = arguments,
                Duration = duration,
            },
        };
    }

    /// <summary>`git rev-parse --short HEAD`, marked when tracked files (other than the report's) have uncommitted changes.</summary>
    public static string GitCommit(string repoRoot)
    {
        string? hash = Git(repoRoot, "rev-parse --short HEAD");
        if (hash is null)
        {
            return "unknown (not a git checkout)";
        }

        // The report's own files don't count: a second run before committing the first is still "clean".
        string? status = Git(repoRoot, "status --porcelain --untracked-files=no -- . :!docs/benchmarks.md :!docs/benchmarks");
        return string.IsNullOrWhiteSpace(status) ? hash : $"{hash} (with uncommitted changes)";
    }

    private static string? Git(string directory, string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using Process process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
