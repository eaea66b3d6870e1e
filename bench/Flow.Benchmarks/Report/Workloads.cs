namespace Flow.Benchmarks.Report;

/// <summary>
/// Titles and one-line explanations for the benchmark classes the report knows, in the order it
/// shows them. A class not listed here still gets its table and chart, after these, under its own name.
/// </summary>
public static class Workloads
{
    private static readonly (string Class, string Title, string About)[] Known =
    [
        ("ThroughputBenchmarks", "Channel throughput", "1,000,000 ints from one producer (or four) to one consumer that waits, then drains; per message."),
        ("ProducerScalingBenchmarks", "Throughput against the number of producers", "1,000,000 ints shared by 1–16 producers into one unbounded channel, one consumer; per message."),
        ("PingPongBenchmarks", "Ping-pong", "Two tasks (or two actors) bounce one message back and forth; per round trip. Every receive waits."),
        ("OneWayBenchmarks", "One-way messages (tell)", "One sender sends 1,000,000 messages to one receiver that counts them; per message."),
        ("SelectBenchmarks", "Select over 4 ports", "Four producers, one consumer taking one message at a time from whichever port has one; per message."),
        ("WaitingReceiverBenchmarks", "100,000 waiting receivers", "Each async receiver waits on its own channel, then all are released; per receiver."),
        ("SpawnJoinBenchmarks", "Spawn + join", "Spawn a task with an empty body and wait for it, one at a time; per task."),
        ("WaitingTaskBenchmarks", "1,000,000 waiting tasks", "A million tasks, each waiting on its own port, then all released; per task (Allocated is the memory one waiting task costs)."),
        ("SkynetBenchmarks", "Skynet (1M tasks)", "A 10-ary tree of a million tasks summing their ids; per whole tree (Proto.Actor publishes 0.5–0.7 s)."),
        ("FutureCompleteGetBenchmarks", "Future create + complete + get", "A one-shot value's whole life on one thread; per value."),
        ("PiSquaredOverSixBenchmarks", "π²/6 (the guide's futures workload)", "1000 partial sums of 100,000 terms, as futures, tasks or one thread; per whole sum."),
        ("MutexArcBenchmarks", "MutexArc, uncontended", "Take the lock, add one, leave, with nobody else around; per access."),
        ("RwArcBenchmarks", "RwArc read, uncontended", "Take the read lock, read, leave; per read."),
        ("PipelineBenchmarks", "3-stage pipeline", "Parse, transform with parallelism 2, sink, over 200,000 lines; per item."),
    ];

    public static string Title(string cls) =>
        Known.FirstOrDefault(k => k.Class == cls).Title ?? (cls.EndsWith("Benchmarks", StringComparison.Ordinal) ? cls[..^"Benchmarks".Length] : cls);

    public static string? About(string cls) => Known.FirstOrDefault(k => k.Class == cls).About;

    public static int Order(string cls)
    {
        int index = Array.FindIndex(Known, k => k.Class == cls);
        return index < 0 ? Known.Length : index;
    }

    /// <summary>
    /// Whether a benchmark method measures Flow (the rest are peers): by name, "Flow…", "Future…"
    /// or an Arc type. Extend here when a Flow benchmark is named otherwise.
    /// </summary>
    public static bool IsFlow(string method) =>
        method.StartsWith("Flow", StringComparison.Ordinal)
        || method.StartsWith("Future", StringComparison.Ordinal)
        || method.StartsWith("MutexArc", StringComparison.Ordinal)
        || method.StartsWith("RwArc", StringComparison.Ordinal);

    /// <summary>The parameter a class is swept over for the throughput-against-producers chart.</summary>
    public const string ScalingParam = "Producers";
}
