using System.Globalization;

namespace Flow.Properties.Support;

/// <summary>
/// How many times each law runs. A default run is fast (the whole project well under 20 s on two
/// cores); set <c>FLOW_PROPERTY_RUNS</c> for a longer hunt.
/// </summary>
/// <remarks>
/// <c>FLOW_PROPERTY_RUNS=N</c> makes a law that runs 100 times by default run N times, and every
/// other law in proportion: a concurrent law that runs 30 times by default runs 30·N/100 times (at
/// least once). So <c>FLOW_PROPERTY_RUNS=1000</c> is ten times the default run, and
/// <c>FLOW_PROPERTY_RUNS=10</c> a quick smoke run. Unset, empty or not a positive integer: the
/// default.
/// </remarks>
public static class PropertyRuns
{
    /// <summary>The environment variable that scales every law.</summary>
    public const string Variable = "FLOW_PROPERTY_RUNS";

    /// <summary>The runs of a cheap law in a default run; the unit <c>FLOW_PROPERTY_RUNS</c> is measured in.</summary>
    public const int Baseline = 100;

    /// <summary>The runs of a law that runs <paramref name="runs"/> times by default, under the current environment.</summary>
    /// <param name="runs">Runs in a default run.</param>
    /// <returns>The scaled number of runs, at least 1.</returns>
    public static int Scale(int runs) => Scale(runs, Environment.GetEnvironmentVariable(Variable));

    /// <summary>The runs of a law that runs <paramref name="runs"/> times by default, under <paramref name="setting"/>.</summary>
    /// <param name="runs">Runs in a default run.</param>
    /// <param name="setting">The value of <c>FLOW_PROPERTY_RUNS</c>, or null.</param>
    /// <returns>The scaled number of runs, at least 1.</returns>
    public static int Scale(int runs, string? setting)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        if (!int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out int target) || target <= 0)
        {
            return runs;
        }

        return (int)Math.Clamp((long)runs * target / Baseline, 1, int.MaxValue);
    }
}
