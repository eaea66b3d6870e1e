using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flow.Benchmarks.Report;

/// <summary>One parameter of a benchmark case, as BenchmarkDotNet displays it.</summary>
public sealed record BenchParam(string Name, string Value)
{
    public override string ToString() => $"{Name}={Value}";
}

/// <summary>
/// One benchmark case's result, independent of BenchmarkDotNet's types so that a run can be saved
/// next to the report (results.json) and the report drawn again from it.
/// </summary>
public sealed record ResultRow
{
    public required string Class { get; init; }

    public required string Method { get; init; }

    public IReadOnlyList<BenchParam> Params { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public bool Baseline { get; init; }

    /// <summary>Median time per operation (OperationsPerInvoke taken into account), in nanoseconds; null if the case failed.</summary>
    public double? MedianNs { get; init; }

    public double? Q1Ns { get; init; }

    public double? Q3Ns { get; init; }

    public int Iterations { get; init; }

    /// <summary>Bytes allocated per operation, unrounded; null without the memory diagnoser.</summary>
    public double? AllocatedBytesPerOp { get; init; }

    public bool Failed => MedianNs is null;

    /// <summary>"Case=Spsc, Producers=4"; empty without parameters.</summary>
    [JsonIgnore]
    public string ParamText => string.Join(", ", Params);

    /// <summary>The class and parameters: the rows of one workload are compared with each other.</summary>
    [JsonIgnore]
    public string WorkloadKey => Params.Count == 0 ? Class : $"{Class} ({ParamText})";

    public string? Param(string name) => Params.FirstOrDefault(p => p.Name == name)?.Value;

    /// <summary>True when every "Name=Value" of <paramref name="filter"/> (comma-separated) matches; null or empty matches all.</summary>
    public bool Matches(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return true;
        }

        foreach (string part in filter.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] nv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (nv.Length != 2 || !string.Equals(Param(nv[0]), nv[1], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The spread of the iterations, (Q3 − Q1) / median.</summary>
    [JsonIgnore]
    public double? RelativeSpread => MedianNs is > 0 && Q1Ns is { } q1 && Q3Ns is { } q3 ? (q3 - q1) / MedianNs.Value : null;
}

/// <summary>Where and how a run was made.</summary>
public sealed record RunInfo
{
    public DateTimeOffset Date { get; init; }

    public string Commit { get; init; } = "unknown";

    public IReadOnlyList<string> Host { get; init; } = [];

    public string Cpu { get; init; } = "unknown";

    public int LogicalCores { get; init; }

    public string Os { get; init; } = "unknown";

    public string Sdk { get; init; } = "unknown";

    public string Runtime { get; init; } = "unknown";

    public string BenchmarkDotNet { get; init; } = "unknown";

    public string Job { get; init; } = "";

    public string Arguments { get; init; } = "";

    public TimeSpan Duration { get; init; }
}

/// <summary>A whole run: what the report is drawn from.</summary>
public sealed record RunResults
{
    public required RunInfo Info { get; init; }

    public required IReadOnlyList<ResultRow> Rows { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public IEnumerable<ResultRow> Find(string className, string method, string? paramFilter = null) =>
        Rows.Where(r => r.Class == className && r.Method == method && r.Matches(paramFilter));

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static RunResults FromJson(string json) =>
        JsonSerializer.Deserialize<RunResults>(json, JsonOptions) ?? throw new InvalidDataException("Empty results file.");

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
