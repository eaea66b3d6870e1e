// Flow's own: Rx on both sides of a port. An observable feeds a port under a backpressure policy
// (the backpressure Rx lacks), and a port feeds an Rx query.
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Flow.Reactive;

namespace Flow.Guide;

internal static class ReactiveExamples
{
    public static async Task<bool> ObservableToPortToQueryAsync(TextWriter output)
    {
        #region reactive
        // A fast producer, a port that keeps the 4 newest readings and counts what it drops.
        var readings = new Subject<int>();
        using ObservablePort<int> latest = readings.ToPort(capacity: 4, BackpressurePolicy.DropOldest);
        for (int reading = 1; reading <= 10; reading++)
        {
            readings.OnNext(reading);
        }

        readings.OnCompleted();
        output.WriteLine($"   dropped {latest.DroppedCount} old readings");

        // The port feeds an Rx query; the port's close completes it.
        IList<int> doubled = await latest.Port.ToObservable().Select(r => r * 2).ToList();
        output.WriteLine($"   the query saw: {string.Join(", ", doubled)}");
        #endregion

        return latest.DroppedCount == 6 && doubled.SequenceEqual([14, 16, 18, 20]);
    }
}
