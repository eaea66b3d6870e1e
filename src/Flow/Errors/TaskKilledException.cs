namespace Flow;

/// <summary>
/// Thrown inside a Flow task that was killed, at its next Flow operation that can wait.
/// </summary>
/// <remarks>Letting it escape the task's body ends the task as killed rather than failed.</remarks>
public class TaskKilledException : FlowException
{
    /// <summary>Creates the exception with a default message.</summary>
    public TaskKilledException()
        : base("The task was killed; it stops at its next Flow operation that can wait.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public TaskKilledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public TaskKilledException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
