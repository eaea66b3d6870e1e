// Ported from the Rust guide, "Sharing immutable data without copy: Arc" (guide-tasks.txt). The
// shared vector is an ImmutableArray, so sharing it cannot let a task change what another reads.
using System.Collections.Immutable;
using System.Globalization;
using static Flow.Tasks;

namespace Flow.Guide;

internal static class ArcExamples
{
    #region pnorm
    private static double PNorm(ImmutableArray<double> nums, int p) =>
        Math.Pow(nums.Aggregate(0.0, (a, b) => a + Math.Pow(b, p)), 1.0 / p);
    #endregion

    public static bool PNorms(TextWriter output)
    {
        var random = new Random(42);

        #region arc
        ImmutableArray<double> numbers = Enumerable.Range(0, 1_000_000).Select(_ => random.NextDouble()).ToImmutableArray();
        output.WriteLine($"   Inf-norm = {numbers.Max().ToString(CultureInfo.InvariantCulture)}");

        using Arc<ImmutableArray<double>> numbersArc = Arc.New(numbers);

        var results = new JoinHandle<double>[9];
        for (int num = 1; num < 10; num++)
        {
            var (port, chan) = Chan.New<Arc<ImmutableArray<double>>>();
            chan.Send(numbersArc.Clone());

            results[num - 1] = Spawn((port, num), static state =>
            {
                var (port, num) = state;
                using Arc<ImmutableArray<double>> localArc = port.Recv();
                ImmutableArray<double> taskNumbers = localArc.Get();
                return PNorm(taskNumbers, num);
            });
        }
        #endregion

        bool ok = true;
        for (int num = 1; num < 10; num++)
        {
            double norm = results[num - 1].Join().Unwrap();
            output.WriteLine($"   {num}-norm = {norm.ToString(CultureInfo.InvariantCulture)}");
            ok &= Math.Abs(norm - PNorm(numbers, num)) < 1e-9;
        }

        output.WriteLine($"   handles left: {numbersArc.RefCount} (every task disposed its clone)");
        return ok && numbersArc.RefCount == 1;
    }
}
