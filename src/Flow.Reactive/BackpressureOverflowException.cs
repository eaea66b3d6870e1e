namespace Flow.Reactive;

/// <summary>An observable produced into a full port whose policy is <see cref="BackpressurePolicy.Fail"/>.</summary>
public class BackpressureOverflowException : FlowException
{
    /// <summary>Creates the exception with a default message.</summary>
    public BackpressureOverflowException()
        : base("The observable produced into a full port (BackpressurePolicy.Fail). Raise the capacity, or choose Block or a drop policy.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public BackpressureOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public BackpressureOverflowException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
