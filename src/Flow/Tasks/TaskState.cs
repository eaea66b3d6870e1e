namespace Flow;

/// <summary>Where a Flow task is in its life.</summary>
public enum TaskState
{
    /// <summary>Started or about to start, not yet ended.</summary>
    Running,

    /// <summary>The body returned normally.</summary>
    Completed,

    /// <summary>The body threw.</summary>
    Failed,

    /// <summary>The task was killed before it ended (or let a <see cref="TaskKilledException"/> escape).</summary>
    Killed,
}
