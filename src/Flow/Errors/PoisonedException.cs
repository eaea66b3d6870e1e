namespace Flow;

/// <summary>
/// A shared value was poisoned: a body that held its lock threw, so the value may be half-updated.
/// </summary>
/// <remarks><see cref="Exception.InnerException"/> is the failure that poisoned it. Call <c>ClearPoison()</c> once the value is known to be sound.</remarks>
public class PoisonedException : FlowException
{
    /// <summary>Creates the exception with a default message.</summary>
    public PoisonedException()
        : base("The shared value is poisoned: a body that held its lock threw.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public PoisonedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the failure that poisoned the value.</summary>
    public PoisonedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
