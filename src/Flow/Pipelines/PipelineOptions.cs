namespace Flow;

/// <summary>How a whole pipeline runs.</summary>
public sealed record PipelineOptions
{
    private readonly int? _inputCapacity;

    /// <summary>Cancels every stage: <see cref="Pipeline{TIn}.Completion"/> then ends cancelled.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The most items waiting at the pipeline's input; null (the default) for no bound.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int? InputCapacity
    {
        get => _inputCapacity;
        init
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(InputCapacity), value, "The input capacity is at least 1, or null for no bound.");
            }

            _inputCapacity = value;
        }
    }

    /// <summary>Options for stages added without their own.</summary>
    public StageOptions? DefaultStageOptions { get; init; }

    /// <summary>A name for <see cref="Pipeline{TIn}.Describe"/>.</summary>
    public string? Name { get; init; }
}
