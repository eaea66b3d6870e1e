using System.Globalization;
using FsCheck.Xunit;

namespace Flow.Properties.Tasks;

/// <summary>
/// An FsCheck property of the task laws: fast in a default run, scaled by the
/// <c>FLOW_PROPERTY_RUNS</c> environment variable for a longer hunt.
/// </summary>
/// <remarks>
/// <c>FLOW_PROPERTY_RUNS=N</c> runs a law that runs 100 times by default N times, and every other
/// law in proportion (at least once): a law marked <c>[TasksProperty(30)]</c> runs 30·N/100 times.
/// Unset, empty or not a positive integer: the default. The variable is read when xunit builds the
/// attribute, so set it before <c>dotnet test</c> starts.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class TasksPropertyAttribute : PropertyAttribute
{
    /// <summary>The environment variable that scales every law.</summary>
    public const string Variable = "FLOW_PROPERTY_RUNS";

    /// <summary>The default runs that <c>FLOW_PROPERTY_RUNS</c> is measured against.</summary>
    public const int Baseline = 100;

    /// <summary>A law checked <paramref name="runs"/> times in a default run.</summary>
    /// <param name="runs">Runs in a default run.</param>
    public TasksPropertyAttribute(int runs)
    {
        Runs = runs;
        MaxTest = Scale(runs, Environment.GetEnvironmentVariable(Variable));
    }

    /// <summary>Runs in a default run, before scaling.</summary>
    public int Runs { get; }

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
