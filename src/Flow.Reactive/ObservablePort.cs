namespace Flow.Reactive;

/// <summary>
/// The port an observable feeds (<see cref="ReactiveExtensions.ToPort{T}"/>), with what its
/// backpressure policy dropped: drops are counted and reported, never silent.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>Disposing it ends the subscription and disposes the port.</remarks>
public sealed class ObservablePort<T> : IDisposable
{
    private long _dropped;
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
        Interlocked.Exchange(ref _subscription, null)?.Dispose();
        Port.Dispose();
    }

    internal void Attach(IDisposable subscription)
    {
        if (Interlocked.CompareExchange(ref _subscription, subscription, null) is not null)
        {
            subscription.Dispose();
        }
    }

    internal void Detach() => Interlocked.Exchange(ref _subscription, null)?.Dispose();

    internal void OnDropped(T message)
    {
        long dropped = Interlocked.Increment(ref _dropped);
        Dropped?.Invoke(this, new DroppedEventArgs<T>(message, dropped));
    }
}
