namespace Flow;

/// <summary>How a task is spawned. Children do not inherit their parent's options.</summary>
public sealed record SpawnOptions
{
    /// <summary>A name for diagnostics: it appears in <see cref="TaskFailure"/>, <see cref="TaskExit"/> and exception messages.</summary>
    public string? Name { get; init; }

    /// <summary>Where the body runs; <see cref="Flow.Scheduler.Default"/> (the thread pool) when null.</summary>
    public Scheduler? Scheduler { get; init; }

    /// <summary>How this task's failure relates to its parent's; <see cref="LinkMode.Isolated"/> by default.</summary>
    public LinkMode Link { get; init; } = LinkMode.Isolated;
}
