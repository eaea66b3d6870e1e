namespace Flow;

/// <summary>What a running Flow task knows about itself (<see cref="Tasks.Current"/>).</summary>
public sealed class TaskInfo
{
    private readonly JoinHandle _task;

    internal TaskInfo(JoinHandle task) => _task = task;

    /// <summary>The task's id.</summary>
    public TaskId Id => _task.Id;

    /// <summary>The task's name, or null when it has none.</summary>
    public string? Name => _task.Name;

    /// <summary>
    /// Fires when the task is killed. Flow's own waiting operations observe it without being
    /// passed it; pass it to your own awaits (HTTP calls, delays) so they stop too.
    /// </summary>
    public CancellationToken KillToken => _task.KillToken;

    /// <inheritdoc />
    public override string ToString() => Name ?? Id.ToString();
}
