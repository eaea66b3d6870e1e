using System.Globalization;
using ScottPlot;

namespace Flow.Benchmarks.Report;

/// <summary>The report's pictures, drawn with ScottPlot to PNG files.</summary>
public static class Charts
{
    private static readonly Color FlowColor = Color.FromHex("#1f77b4");
    private static readonly Color PeerColor = Color.FromHex("#9e9e9e");
    private static readonly Color Better = Color.FromHex("#2ca02c");
    private static readonly Color Worse = Color.FromHex("#ff7f0e");

    // The peers' lines in the producers chart: anything but Flow's blue.
    private static readonly Color[] PeerLines = [Color.FromHex("#d62728"), Color.FromHex("#7f7f7f"), Color.FromHex("#9467bd"), Color.FromHex("#8c564b")];

    static Charts()
    {
        // SkiaSharp's Linux assets come without fontconfig, so a system font is loaded from its file
        // when there is one (Debian's DejaVu Sans); otherwise ScottPlot's default face is used.
        const string dejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        const string dejaVuBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
        if (File.Exists(dejaVu) && File.Exists(dejaVuBold))
        {
            Fonts.AddFontFile("DejaVu Sans", dejaVu, bold: false, italic: false);
            Fonts.AddFontFile("DejaVu Sans", dejaVuBold, bold: true, italic: false);
            Fonts.Default = "DejaVu Sans";
        }
    }

    /// <summary>
    /// One horizontal bar per method: its median time over the fastest one's (1.00 = fastest,
    /// shorter is better). Flow's bars are blue, the peers' grey.
    /// </summary>
    public static void RatioBars(string path, string title, IReadOnlyList<ResultRow> rows)
    {
        var measured = rows.Where(r => !r.Failed).OrderByDescending(r => r.MedianNs).ToList();
        double fastest = measured.Min(r => r.MedianNs!.Value);
        var bars = new List<Bar>();
        var labels = new string[measured.Count];
        for (int i = 0; i < measured.Count; i++)
        {
            double ratio = measured[i].MedianNs!.Value / fastest;
            bars.Add(new Bar
            {
                Position = i,
                Value = ratio,
                FillColor = Workloads.IsFlow(measured[i].Method) ? FlowColor : PeerColor,
                Label = $"{Units.Ratio(ratio)}×  ({Units.Time(measured[i].MedianNs!.Value)})",
            });
            labels[i] = measured[i].Method;
        }

        Plot plot = new();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 13;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, measured.Count).Select(i => (double)i).ToArray(), labels);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        double max = bars.Max(b => b.Value);
        plot.Axes.SetLimitsX(0, max * 1.45);
        plot.Axes.SetLimitsY(-0.6, measured.Count - 0.4);
        plot.Add.VerticalLine(1, 1, Colors.Black.WithAlpha(0.4), LinePattern.Dashed);
        plot.Title(title, 15);
        plot.XLabel("median time ÷ fastest (1.00 = fastest; shorter is better)", 13);
        plot.HideGrid();
        plot.SavePng(path, 900, 110 + (46 * measured.Count));
    }

    /// <summary>
    /// One bar per workload: the fastest peer's median over Flow's fastest (above 1 = Flow faster),
    /// on a log scale so that 2× faster and 2× slower are the same length.
    /// </summary>
    public static void Overview(string path, IReadOnlyList<(string Workload, double Speedup)> items)
    {
        var ordered = items.OrderBy(i => i.Speedup).ToList();
        var bars = new List<Bar>();
        for (int i = 0; i < ordered.Count; i++)
        {
            double log = Math.Log2(ordered[i].Speedup);
            bars.Add(new Bar
            {
                Position = i,
                Value = log,
                FillColor = log >= 0 ? Better : Worse,
                Label = ordered[i].Speedup >= 1 ? $"{Units.Ratio(ordered[i].Speedup)}× faster" : $"{Units.Ratio(1 / ordered[i].Speedup)}× slower",
            });
        }

        Plot plot = new();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 12;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, ordered.Count).Select(i => (double)i).ToArray(), ordered.Select(i => i.Workload).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        double reach = Math.Max(1, Math.Ceiling(bars.Max(b => Math.Abs(b.Value)) + 0.8));
        // Ticks stop one short of the edges, so that no label is cut off; every other power of 2 when the range is wide.
        int step = reach > 3 ? 2 : 1;
        var ticks = Enumerable.Range((int)-reach + 1, (2 * (int)reach) - 1).Where(k => k % step == 0).Select(k => (double)k).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks,
            ticks.Select(k => k == 0 ? "same" : k > 0 ? $"{Math.Pow(2, k).ToString(CultureInfo.InvariantCulture)}× faster" : $"{Math.Pow(2, -k).ToString(CultureInfo.InvariantCulture)}× slower").ToArray());
        plot.Axes.SetLimitsX(-reach, reach);
        plot.Axes.SetLimitsY(-0.6, ordered.Count - 0.4);
        plot.Add.VerticalLine(0, 1.5f, Colors.Black);
        plot.Title("Flow against the fastest other library, per workload", 15);
        plot.XLabel("fastest peer's median ÷ Flow's fastest median (log scale)", 13);
        plot.SavePng(path, 1000, 130 + (34 * ordered.Count));
    }

    /// <summary>Throughput (millions of messages per second) against the number of producers, one line per method.</summary>
    public static void Scaling(string path, string title, IReadOnlyList<ResultRow> rows, string param)
    {
        Plot plot = new();
        var xValues = new SortedSet<double>();
        int peer = 0;
        foreach (var group in rows.Where(r => !r.Failed).GroupBy(r => r.Method))
        {
            var points = group
                .Select(r => (X: double.Parse(r.Param(param) ?? "0", CultureInfo.InvariantCulture), Y: 1e3 / r.MedianNs!.Value))
                .OrderBy(p => p.X)
                .ToList();
            double[] xs = points.Select(p => Math.Log2(p.X)).ToArray();
            double[] ys = points.Select(p => p.Y).ToArray();
            foreach (var p in points)
            {
                xValues.Add(p.X);
            }

            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = group.Key;
            scatter.LineWidth = 2.5f;
            scatter.MarkerSize = 9;
            scatter.Color = Workloads.IsFlow(group.Key) ? FlowColor : PeerLines[peer++ % PeerLines.Length];
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            xValues.Select(Math.Log2).ToArray(), xValues.Select(x => x.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Margins(0.05, 0.1);
        plot.Axes.SetLimitsY(0, rows.Where(r => !r.Failed).Select(r => 1e3 / r.MedianNs!.Value).DefaultIfEmpty(1).Max() * 1.15);
        plot.Title(title, 15);
        plot.XLabel($"{param.ToLowerInvariant()} (log scale)", 13);
        plot.YLabel("million messages per second (higher is better)", 13);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 520);
    }
}
