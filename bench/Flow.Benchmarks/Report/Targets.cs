namespace Flow.Benchmarks.Report;

public enum TargetStatus
{
    Met,
    NotMet,
    Reported,
    NotMeasured,
}

/// <summary>What a target came to in one run: its status, the measured numbers, and why.</summary>
public sealed record TargetOutcome(TargetStatus Status, string Measured, string Why);

/// <summary>A goal from an issue, checked against one run.</summary>
public sealed record Target(string Issue, string Goal, Func<RunResults, TargetOutcome> Evaluate);

/// <summary>
/// The goals the report checks, keyed by benchmark class, method and parameter names. A goal whose
/// benchmarks did not run (another branch's class, a filter) comes out "not measured". To add one,
/// add a line to <see cref="All"/> with one of the factories below.
/// </summary>
public static class Targets
{
    public static IReadOnlyList<Target> All { get; } =
    [
        // The benchmarks issue: Flow against the actor libraries.
        TimeAtMost("benchmarks", "Ping-pong round trip ≤ 0.8× Proto.Actor's (the issue measured Proto.Actor at 171 ns on 2 cores)",
            "PingPongBenchmarks", "Flow", "ProtoActor", 0.8),
        SpeedupAtLeast("benchmarks", "MPSC throughput ≥ 2.5× Akka.NET's one-way tell (one sender; the issue measured Akka.NET at 18.6 M msgs/s on 2 cores)",
            "OneWayBenchmarks", "FlowSharedChan", "Akka", 2.5),

        // Channels.
        SpeedupAtLeast("channels", "SPSC unbounded throughput ≥ 1.0× System.Threading.Channels",
            "ThroughputBenchmarks", "Flow", "Channels", 1.0, "Case=Spsc"),
        SpeedupAtLeast("channels", "MPSC 4→1 throughput ≥ 1.0× System.Threading.Channels",
            "ThroughputBenchmarks", "Flow", "Channels", 1.0, "Case=Mpsc4"),
        SpeedupAtLeast("channels", "Bounded(1024) throughput ≥ 1.5× System.Threading.Channels",
            "ThroughputBenchmarks", "Flow", "Channels", 1.5, "Case=Bounded1024"),
        TimeAtMost("channels", "Ping-pong round trip ≤ 1.0× System.Threading.Channels' time",
            "PingPongBenchmarks", "Flow", "Channels", 1.0),
        Reported("channels", "Rendezvous (capacity 0) ping-pong measured and reported",
            "PingPongBenchmarks", ["FlowRendezvous", "Flow", "Channels"]),
        AllocAtMost("channels", "0 B allocated per message in steady state: ping-pong (the queue never grows)",
            "PingPongBenchmarks", "Flow", 0.99),
        AllocAtMost("channels", "0 B allocated per message in steady state: bounded(1024) stream (the buffer never grows)",
            "ThroughputBenchmarks", "Flow", 0.99, "Case=Bounded1024"),

        AllocAtMost("channels", "≤ 700 B per receiver waiting on its own port (an async method awaiting RecvAsync; 100,000 waiting)",
            "WaitingReceiverBenchmarks", "Flow", 700),

        // Tasks.
        AllocAtMost("tasks", "≤ 700 B per task waiting on its own port (1,000,000 waiting)",
            "WaitingTaskBenchmarks", "FlowSpawnOnPorts", 700),
        TimeAtMost("tasks", "Spawn + join (await the handle) of an empty body ≤ 1.2× Task.Run + await",
            "SpawnJoinBenchmarks", "FlowSpawn", "TaskRun", 1.2),
        TimeAtMost("tasks", "Spawn + JoinAsync of an empty body ≤ 1.2× Task.Run + await",
            "SpawnJoinBenchmarks", "FlowSpawnJoinAsync", "TaskRun", 1.2),
        Reported("tasks", "Skynet (1M tasks) reported next to Task-based code (Proto.Actor publishes 0.5–0.7 s)",
            "SkynetBenchmarks", ["FlowChans", "TaskBased"]),

        // Futures and sync.
        TimeAtMost("futures", "Future create + complete + get ≤ 2× TaskCompletionSource<T>",
            "FutureCompleteGetBenchmarks", "FlowFuture", "TaskCompletionSource", 2.0),
        SpeedupAtLeast("futures", "π²/6 with Future.Spawn ≥ 1.9× one thread (on 2 cores)",
            "PiSquaredOverSixBenchmarks", "FutureSpawn", "SingleThread", 1.9),
        TimeAtMost("futures", "MutexArc uncontended access ≤ 2× lock",
            "MutexArcBenchmarks", "MutexArcAccess", "Lock", 2.0),
        TimeAtMost("futures", "RwArc read ≤ 2× ReaderWriterLockSlim read",
            "RwArcBenchmarks", "RwArcRead", "ReaderWriterLockSlimRead", 2.0),

        // Pipelines.
        SpeedupAtLeast("pipelines", "3-stage pipeline ≥ 1.0× the same network wired by hand in Dataflow",
            "PipelineBenchmarks", "FlowPipeline", "DataflowByHand", 1.0),
        ParamCost("pipelines", "Ordered overhead reported (Flow pipeline, Ordered=True against Ordered=False)",
            "PipelineBenchmarks", "FlowPipeline", "Ordered=True", "Ordered=False"),

        // Reactive.
        ReportedClass("reactive", "Rx bridge throughput reported against a plain Rx Subject",
            static c => c.Contains("Rx", StringComparison.Ordinal) || c.Contains("Reactive", StringComparison.Ordinal) || c.Contains("Observable", StringComparison.Ordinal)),
    ];

    /// <summary>Subject's median time ≤ <paramref name="max"/> × reference's, in every matching parameter row.</summary>
    public static Target TimeAtMost(string issue, string goal, string cls, string subject, string reference, double max, string? paramFilter = null) =>
        new(issue, goal, run => Compare(run, cls, subject, reference, paramFilter, max, atMost: true));

    /// <summary>Reference's median time ≥ <paramref name="min"/> × subject's (the subject is that many times faster), in every matching parameter row.</summary>
    public static Target SpeedupAtLeast(string issue, string goal, string cls, string subject, string reference, double min, string? paramFilter = null) =>
        new(issue, goal, run => Compare(run, cls, subject, reference, paramFilter, min, atMost: false));

    /// <summary>Subject allocates at most <paramref name="maxBytes"/> per operation, in every matching parameter row.</summary>
    public static Target AllocAtMost(string issue, string goal, string cls, string subject, double maxBytes, string? paramFilter = null) =>
        new(issue, goal, run =>
        {
            var rows = run.Find(cls, subject, paramFilter).Where(r => r.AllocatedBytesPerOp is not null).ToList();
            if (rows.Count == 0)
            {
                return NotMeasured(cls, subject);
            }

            var parts = rows.Select(r => $"{Label(r)}{Units.Bytes(r.AllocatedBytesPerOp!.Value)}/op").ToList();
            bool met = rows.All(r => r.AllocatedBytesPerOp!.Value <= maxBytes);
            string limit = maxBytes < 1 ? "under 1 B/op (rounds to 0)" : $"≤ {Units.Bytes(maxBytes)}/op";
            return new TargetOutcome(met ? TargetStatus.Met : TargetStatus.NotMet, string.Join("; ", parts),
                met ? $"{subject} allocates {limit}." : $"{subject} allocates more than {limit}: {string.Join("; ", parts)}.");
        });

    /// <summary>The methods ran: their medians are listed, with their ratio to the fastest of them.</summary>
    public static Target Reported(string issue, string goal, string cls, string[] methods) =>
        new(issue, goal, run =>
        {
            var rows = methods.SelectMany(m => run.Find(cls, m)).Where(r => !r.Failed).ToList();
            if (!rows.Any(r => r.Method == methods[0]))
            {
                return NotMeasured(cls, methods[0]);
            }

            double fastest = rows.Min(r => r.MedianNs!.Value);
            string measured = string.Join("; ", rows.Select(r => $"{r.Method}{ParamSuffix(r)}: {Units.Time(r.MedianNs!.Value)} ({Fmt(r.MedianNs!.Value / fastest)}×)"));
            return new TargetOutcome(TargetStatus.Reported, measured, "Reported; no threshold.");
        });

    /// <summary>Every benchmark of the classes <paramref name="classMatch"/> accepts, reported.</summary>
    public static Target ReportedClass(string issue, string goal, Func<string, bool> classMatch) =>
        new(issue, goal, run =>
        {
            var rows = run.Rows.Where(r => classMatch(r.Class) && !r.Failed).ToList();
            if (rows.Count == 0)
            {
                return new TargetOutcome(TargetStatus.NotMeasured, "–", "No benchmark class for it ran (none in this build, or filtered out).");
            }

            string measured = string.Join("; ", rows.Select(r => $"{r.Class}.{r.Method}{ParamSuffix(r)}: {Units.Time(r.MedianNs!.Value)}"));
            return new TargetOutcome(TargetStatus.Reported, measured, "Reported; no threshold.");
        });

    /// <summary>What one parameter value costs over another, for the same method.</summary>
    public static Target ParamCost(string issue, string goal, string cls, string method, string withParam, string withoutParam) =>
        new(issue, goal, run =>
        {
            ResultRow? with = run.Find(cls, method, withParam).FirstOrDefault(r => !r.Failed);
            ResultRow? without = run.Find(cls, method, withoutParam).FirstOrDefault(r => !r.Failed);
            if (with is null || without is null)
            {
                return NotMeasured(cls, method);
            }

            double ratio = with.MedianNs!.Value / without.MedianNs!.Value;
            return new TargetOutcome(TargetStatus.Reported,
                $"{withParam}: {Units.Time(with.MedianNs.Value)}, {withoutParam}: {Units.Time(without.MedianNs.Value)} ({Fmt(ratio)}×)",
                "Reported; no threshold.");
        });

    /// <summary>
    /// With <paramref name="atMost"/>, the time ratio subject / reference must be ≤ the goal;
    /// otherwise the speedup reference / subject must be ≥ the goal.
    /// </summary>
    private static TargetOutcome Compare(RunResults run, string cls, string subject, string reference, string? paramFilter, double goal, bool atMost)
    {
        string goalText = atMost ? $"≤ {Fmt(goal)}×" : $"≥ {Fmt(goal)}×";
        string ratioName = atMost ? "time ratio" : "speedup";
        var pairs = run.Find(cls, subject, paramFilter)
            .Where(s => !s.Failed)
            .Select(s => (Subject: s, Reference: run.Find(cls, reference).FirstOrDefault(r => !r.Failed && r.ParamText == s.ParamText)))
            .Where(p => p.Reference is not null)
            .ToList();
        if (pairs.Count == 0)
        {
            return NotMeasured(cls, run.Find(cls, subject).Any() ? reference : subject);
        }

        var parts = new List<string>();
        var misses = new List<string>();
        bool met = true;
        foreach (var (s, r) in pairs)
        {
            double ratio = atMost ? s.MedianNs!.Value / r!.MedianNs!.Value : r!.MedianNs!.Value / s.MedianNs!.Value;
            bool ok = atMost ? ratio <= goal : ratio >= goal;
            met &= ok;
            string noise = Noisy(s, r);
            parts.Add($"{Label(s)}{Fmt(ratio)}× ({subject} {Units.Time(s.MedianNs.Value)} vs {reference} {Units.Time(r.MedianNs.Value)}){noise}");
            if (!ok)
            {
                string miss = atMost ? $"{Units.Percent((ratio / goal) - 1)} over" : $"{Units.Percent(1 - (ratio / goal))} short";
                misses.Add($"{Label(s)}{Fmt(ratio)}×, {miss}{noise}");
            }
        }

        string why = met
            ? $"The {ratioName} is {goalText} in every row."
            : $"Needs {ratioName} {goalText}; measured {string.Join("; ", misses)}.";
        return new TargetOutcome(met ? TargetStatus.Met : TargetStatus.NotMet, string.Join("; ", parts), why);
    }

    /// <summary>A warning when either row's iterations spread by more than 10% of the median: the ratio may move between runs.</summary>
    private static string Noisy(ResultRow a, ResultRow b)
    {
        double spread = Math.Max(a.RelativeSpread ?? 0, b.RelativeSpread ?? 0);
        return spread > 0.10 ? $" [noisy: iterations spread ±{Units.Percent(spread / 2)}]" : "";
    }

    private static TargetOutcome NotMeasured(string cls, string method) =>
        new(TargetStatus.NotMeasured, "–", $"No result for {cls}.{method} in this run (not in this build, filtered out, or failed).");

    private static string Label(ResultRow row) => row.Params.Count == 0 ? "" : $"{row.ParamText}: ";

    private static string ParamSuffix(ResultRow row) => row.Params.Count == 0 ? "" : $" ({row.ParamText})";

    private static string Fmt(double value) => Units.Ratio(value);
}
