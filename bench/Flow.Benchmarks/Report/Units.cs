using System.Globalization;

namespace Flow.Benchmarks.Report;

/// <summary>How the report writes times, rates, sizes and ratios.</summary>
public static class Units
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Time(double ns) => ns switch
    {
        < 1_000 => string.Create(C, $"{ns:0.0} ns"),
        < 1_000_000 => string.Create(C, $"{ns / 1_000:0.00} µs"),
        < 1_000_000_000 => string.Create(C, $"{ns / 1_000_000:0.00} ms"),
        _ => string.Create(C, $"{ns / 1_000_000_000:0.000} s"),
    };

    /// <summary>Operations per second for a median time per operation.</summary>
    public static string Rate(double ns)
    {
        double perSecond = 1e9 / ns;
        return perSecond switch
        {
            >= 1e6 => string.Create(C, $"{perSecond / 1e6:0.0} M/s"),
            >= 1e3 => string.Create(C, $"{perSecond / 1e3:0.0} k/s"),
            _ => string.Create(C, $"{perSecond:0.00} /s"),
        };
    }

    public static string Bytes(double bytes) => bytes switch
    {
        < 0.01 => "0 B",
        < 10 => string.Create(C, $"{bytes:0.00} B"),
        < 10_000 => string.Create(C, $"{bytes:0} B"),
        < 10_000_000 => string.Create(C, $"{bytes / 1024:0.0} KB"),
        _ => string.Create(C, $"{bytes / (1024 * 1024):0.0} MB"),
    };

    public static string Ratio(double ratio) => ratio >= 10 ? ratio.ToString("0.0", C) : ratio.ToString("0.00", C);

    public static string Percent(double fraction) => string.Create(C, $"{fraction * 100:0}%");
}
