namespace Flow;

/// <summary>Identifies a Flow task; unique within the process.</summary>
/// <param name="Value">The number behind the id, increasing in spawn order.</param>
public readonly record struct TaskId(long Value)
{
    /// <inheritdoc />
    public override string ToString() => $"task-{Value}";
}
