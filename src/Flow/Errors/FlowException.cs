namespace Flow;

/// <summary>The base of every exception Flow throws for its own reasons.</summary>
public class FlowException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public FlowException()
        : base("A Flow operation failed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public FlowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public FlowException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
