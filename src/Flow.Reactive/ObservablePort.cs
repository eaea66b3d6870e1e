namespace Flow.Reactive;

/// <summary>
/// The port an observable feeds (<see cref="ReactiveExtensions.ToPort{T}"/>), with what its
/// backpressure policy dropped: drops are counted and reported, never silent.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>Disposing it ends the subscription and disposes the port.</remarks>
public sealed class ObservablePort<T> : IDisposable
{
    /// <summary>Stands in <see cref="_subscription"/> once the subscription was ended, so a late <see cref="Attach"/> ends it too.</summary>
    private static readonly IDisposable s_ended = new Ended();

    private long _dropped;

    /// <summary>The source's subscription; null until attached, <see cref="s_ended"/> once ended.</summary>
    private IDisposable? _subscription;

    internal ObservablePort(Port<T> port, BackpressurePolicy policy)
    {
        Port = port;
        Policy = policy;
    }

    /// <summary>Raised for each message a drop policy dropped, on the thread that produced the newer one.</summary>
    public event EventHandler<DroppedEventArgs<T>>? Dropped;

    /// <summary>The port to receive from; it closes when the observable completes and fails when it errors.</summary>
    public Port<T> Port { get; }

    /// <summary>The policy applied when the port is full.</summary>
    public BackpressurePolicy Policy { get; }

    /// <summary>How many messages were dropped so far.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>The port, so an observable port can be used where a port is expected.</summary>
    /// <param name="port">The observable port.</param>
    public static implicit operator Port<T>(ObservablePort<T> port) => port?.Port ?? throw new ArgumentNullException(nameof(port));

    /// <summary>The port (the named form of the implicit conversion).</summary>
    /// <returns>The port.</returns>
    public Port<T> ToPort() => Port;

    /// <summary>Ends the subscription and disposes the port.</summary>
    public void Dispose()
    {
        Detach();
        Port.Dispose();
    }

    internal void Attach(IDisposable subscription)
    {
        // A source that emits inside Subscribe (StartWith, a cold Range) may already have ended
        // the subscription (an overflow under Fail, a disposed port) before we hold it: end it now.
        if (Interlocked.CompareExchange(ref _subscription, subscription, null) is not null)
        {
            subscription.Dispose();
        }
    }

    internal void Detach() => Interlocked.Exchange(ref _subscription, s_ended)?.Dispose();

    internal void OnDropped(T message)
    {
        long dropped = Interlocked.Increment(ref _dropped);
        Dropped?.Invoke(this, new DroppedEventArgs<T>(message, dropped));
    }

    private sealed class Ended : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
