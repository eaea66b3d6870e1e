using System.Globalization;
using FsCheck.Xunit;

namespace Flow.Properties.Futures;

/// <summary>
/// How many times the future and arc laws run, and the bounded waits they block on. A default run
/// is fast; set <c>FLOW_PROPERTY_RUNS</c> for a longer hunt.
/// </summary>
/// <remarks>
/// <c>FLOW_PROPERTY_RUNS=N</c> counts in units of a cheap law's 100 default runs: a law that runs 30
/// times by default runs 30·N/100 times (at least once), so <c>FLOW_PROPERTY_RUNS=1000</c> is ten
/// times the default and <c>FLOW_PROPERTY_RUNS=10</c> a quick smoke run. Unset, empty or not a
/// positive integer: the default. The variable is read when xunit builds the attributes, so set it
/// before <c>dotnet test</c> starts.
/// </remarks>
public static class FuturesPropertyConfig
{
    /// <summary>The environment variable that scales every law.</summary>
    public const string Variable = "FLOW_PROPERTY_RUNS";

    /// <summary>The unit <c>FLOW_PROPERTY_RUNS</c> is measured in: the default runs of a cheap law.</summary>
    public const int Baseline = 100;

    /// <summary>The longest any single wait inside a law may take; a hang fails the law instead of the run.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

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

    /// <summary>Blocks until <paramref name="task"/> completes, failing the law after <see cref="WaitLimit"/>.</summary>
    /// <param name="task">What to wait for.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    public static void Wait(Task task, string what)
    {
        if (!task.Wait(WaitLimit))
        {
            throw new TimeoutException($"Timed out after {WaitLimit} waiting for {what}.");
        }
    }

    /// <summary>Blocks until <paramref name="task"/> completes and returns its result, failing the law after <see cref="WaitLimit"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">What to wait for.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <returns>The task's result.</returns>
    public static T Wait<T>(Task<T> task, string what)
    {
        Wait((Task)task, what);
        return task.Result;
    }

    /// <summary>Joins <paramref name="handle"/> for its value, failing the law after <see cref="WaitLimit"/> or if the task failed.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="handle">The task.</param>
    /// <returns>The task's value.</returns>
    public static T Join<T>(JoinHandle<T> handle) => Wait(handle.JoinAsync(), $"task {handle}").Unwrap();

    /// <summary>Joins <paramref name="handle"/>, failing the law after <see cref="WaitLimit"/> or if the task failed.</summary>
    /// <param name="handle">The task.</param>
    public static void Join(JoinHandle handle) => Wait(handle.JoinAsync(), $"task {handle}").Unwrap();
}

/// <summary>
/// An FsCheck property of the future and arc laws whose runs scale with <c>FLOW_PROPERTY_RUNS</c>
/// (see <see cref="FuturesPropertyConfig"/>): <c>[FuturesProperty(30)]</c> is
/// <c>[Property(MaxTest = 30)]</c> in a default run.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FuturesPropertyAttribute : PropertyAttribute
{
    /// <summary>A law checked <paramref name="runs"/> times in a default run.</summary>
    /// <param name="runs">Runs in a default run: 20–50 for the concurrent laws here.</param>
    public FuturesPropertyAttribute(int runs)
    {
        Runs = runs;
        MaxTest = FuturesPropertyConfig.Scale(runs);
    }

    /// <summary>Runs in a default run, before scaling.</summary>
    public int Runs { get; }
}
