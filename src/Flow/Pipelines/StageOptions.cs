namespace Flow;

/// <summary>How one pipeline stage runs.</summary>
public sealed record StageOptions
{
    private readonly int _parallelism = 1;
    private readonly int? _capacity;

    /// <summary>The most items this stage processes at once (a bounded degree of parallelism). At least 1; 1 by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int Parallelism
    {
        get => _parallelism;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Parallelism));
            _parallelism = value;
        }
    }

    /// <summary>
    /// The most items this stage holds (waiting or being processed); a full stage makes the one
    /// before it wait (backpressure). Null (the default) for no bound; otherwise at least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int? Capacity
    {
        get => _capacity;
        init
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Capacity), value, "A stage's capacity is at least 1, or null for no bound.");
            }

            _capacity = value;
        }
    }

    /// <summary>True (the default) to emit outputs in input order whatever the parallelism.</summary>
    public bool Ordered { get; init; } = true;

    /// <summary>Where the stage's work runs; <see cref="Flow.Scheduler.Default"/> when null.</summary>
    public Scheduler? Scheduler { get; init; }

    /// <summary>What a failing item does; <see cref="ErrorPolicy.FailPipeline"/> when null.</summary>
    public ErrorPolicy? OnError { get; init; }

    /// <summary>A name for <see cref="Pipeline{TIn}.Describe"/> and dead letters; the stage's kind when null.</summary>
    public string? Name { get; init; }
}
