using FsCheck.Xunit;

namespace Flow.Properties.Support;

/// <summary>
/// An FsCheck property whose number of runs scales with the <c>FLOW_PROPERTY_RUNS</c> environment
/// variable (see <see cref="PropertyRuns"/>), so one switch makes the whole suite run longer.
/// </summary>
/// <remarks>
/// <c>[Law(30)]</c> is <c>[Property(MaxTest = 30)]</c> in a default run. The runs are read when
/// xunit builds the attribute, so the variable must be set before <c>dotnet test</c> starts:
/// <code>FLOW_PROPERTY_RUNS=1000 dotnet test properties/Flow.Properties -c Release</code>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class LawAttribute : PropertyAttribute
{
    /// <summary>A law checked <paramref name="runs"/> times in a default run.</summary>
    /// <param name="runs">Runs in a default run: about 100 for a cheap single-threaded law, about 30 for a concurrent one.</param>
    public LawAttribute(int runs)
    {
        Runs = runs;
        MaxTest = PropertyRuns.Scale(runs);
    }

    /// <summary>Runs in a default run, before scaling.</summary>
    public int Runs { get; }
}
