// Ported from the Rust guide, "Backgrounding computations: Futures" (guide-tasks.txt).
using System.Diagnostics;
using System.Globalization;

namespace Flow.Guide;

internal static class FutureExamples
{
    #region fib
    private static ulong Fib(ulong n)
    {
        // lengthy computation returning an ulong (iterative, so fib(50) takes microseconds, not hours)
        ulong a = 0, b = 1;
        for (ulong i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return a;
    }
    #endregion

    private static void MakeASandwich()
    {
    }

    public static bool FibFuture(TextWriter output)
    {
        #region fib-future
        Future<ulong> delayedFib = Future.Spawn(() => Fib(50));
        MakeASandwich();
        output.WriteLine($"   fib(50) = {delayedFib.Get()}");
        #endregion

        return delayedFib.Get() == 12_586_269_025UL;
    }

    #region partial-sum
    private static double PartialSum(int start)
    {
        double localSum = 0;
        for (int num = start * 100_000; num < (start + 1) * 100_000; num++)
        {
            localSum += Math.Pow(num + 1.0, -2.0);
        }

        return localSum;
    }
    #endregion

    public static bool PiSquaredOverSix(TextWriter output)
    {
        output.WriteLine("   computing 1000 partial sums as futures (a second or two)...");
        var clock = Stopwatch.StartNew();

        #region pi-futures
        Future<double>[] futures = Enumerable.Range(0, 1000).Select(ind => Future.Spawn(() => PartialSum(ind))).ToArray();

        double finalRes = 0;
        foreach (Future<double> ft in futures)
        {
            finalRes += ft.Get();
        }

        output.WriteLine($"   π^2/6 is not far from : {finalRes.ToString(CultureInfo.InvariantCulture)}");
        #endregion

        TimeSpan parallel = clock.Elapsed;
        output.WriteLine("   (now the same sum on one thread, to compare)");
        clock.Restart();
        double sequential = 0;
        for (int ind = 0; ind < 1000; ind++)
        {
            sequential += PartialSum(ind);
        }

        TimeSpan single = clock.Elapsed;
        output.WriteLine($"   {Environment.ProcessorCount} cores: futures {parallel.TotalMilliseconds:F0} ms, one thread {single.TotalMilliseconds:F0} ms, speedup {single / parallel:F2}x");
        return Math.Abs(finalRes - sequential) < 1e-12 && Math.Abs(finalRes - (Math.PI * Math.PI / 6)) < 1e-7;
    }
}
