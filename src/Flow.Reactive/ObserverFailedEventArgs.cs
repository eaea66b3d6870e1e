namespace Flow.Reactive;

/// <summary>The argument of <see cref="ReactiveExtensions.ObserverFailed"/>: an observer of a port threw.</summary>
public sealed class ObserverFailedEventArgs : EventArgs
{
    internal ObserverFailedEventArgs(object port, Exception exception)
    {
        Port = port;
        Exception = exception;
    }

    /// <summary>The <see cref="Port{T}"/> the failed subscription received from.</summary>
    public object Port { get; }

    /// <summary>What the observer's <c>OnNext</c>, <c>OnError</c> or <c>OnCompleted</c> threw, itself.</summary>
    public Exception Exception { get; }
}
