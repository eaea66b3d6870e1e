using BenchmarkDotNet.Attributes;

namespace Flow.Benchmarks.Futures;

/// <summary>
/// The guide's futures workload ("Backgrounding computations: Futures", samples/Flow.Guide
/// FutureExamples): π²/6 as 1000 partial sums of 100,000 terms each, computed by 1000 futures and
/// added up. Reported per whole sum; the speedup over one thread is bounded by the core count.
/// </summary>
[BenchmarkCategory("futures")]
[WarmupCount(1)]
[IterationCount(5)]
public class PiSquaredOverSixBenchmarks
{
    public const int Partials = 1000;
    public const int TermsEach = 100_000;

    [Benchmark(Baseline = true)]
    public double SingleThread()
    {
        double sum = 0;
        for (int ind = 0; ind < Partials; ind++)
        {
            sum += PartialSum(ind);
        }

        return Checked(sum);
    }

    [Benchmark]
    public double FutureSpawn()
    {
        var futures = new Future<double>[Partials];
        for (int ind = 0; ind < Partials; ind++)
        {
            int start = ind;
            futures[ind] = Future.Spawn(() => PartialSum(start));
        }

        double sum = 0;
        foreach (Future<double> future in futures)
        {
            sum += future.Get();
        }

        return Checked(sum);
    }

    [Benchmark]
    public double TaskRun()
    {
        var tasks = new Task<double>[Partials];
        for (int ind = 0; ind < Partials; ind++)
        {
            int start = ind;
            tasks[ind] = Task.Run(() => PartialSum(start));
        }

        double sum = 0;
        foreach (Task<double> task in tasks)
        {
            sum += task.GetAwaiter().GetResult();
        }

        return Checked(sum);
    }

    /// <summary>The guide's <c>partial_sum</c>: terms 1/n² for n in [start·100,000 + 1, (start + 1)·100,000].</summary>
    private static double PartialSum(int start)
    {
        double localSum = 0;
        for (int num = start * TermsEach; num < (start + 1) * TermsEach; num++)
        {
            localSum += Math.Pow(num + 1.0, -2.0);
        }

        return localSum;
    }

    private static double Checked(double sum) =>
        Math.Abs(sum - (Math.PI * Math.PI / 6)) < 1e-7 ? sum : throw new InvalidOperationException($"π²/6 came out as {sum}.");
}
