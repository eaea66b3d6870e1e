namespace Flow;

/// <summary>The notice a monitor receives when a task ends.</summary>
/// <param name="TaskId">The task that ended.</param>
/// <param name="TaskName">Its name, or null.</param>
/// <param name="Status">How it ended: <see cref="TaskState.Completed"/>, <see cref="TaskState.Failed"/> or <see cref="TaskState.Killed"/>.</param>
/// <param name="Failure">Why it failed or was killed; null when it completed.</param>
public sealed record TaskExit(TaskId TaskId, string? TaskName, TaskState Status, TaskFailure? Failure);
