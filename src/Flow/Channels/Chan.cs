namespace Flow;

/// <summary>Creates channels: a <see cref="Port{T}"/> to receive from and a <see cref="Chan{T}"/> to send with.</summary>
/// <example>
/// <code>
/// var (port, chan) = Chan.New&lt;int&gt;();
/// Spawn(chan, static c => c.Send(SomeExpensiveComputation()));
/// int result = port.Recv();
/// </code>
/// </example>
public static class Chan
{
    /// <summary>Creates an unbounded channel: <see cref="Chan{T}.Send(T)"/> never waits.</summary>
    /// <typeparam name="T">The type of the messages.</typeparam>
    /// <returns>The receiving and the sending end.</returns>
    public static (Port<T> Port, Chan<T> Chan) New<T>()
    {
        var core = new UnboundedCore<T>();
        return (new Port<T>(core), new Chan<T>(core));
    }

    /// <summary>
    /// Creates a bounded channel that holds at most <paramref name="capacity"/> messages; a send
    /// waits while it is full. A capacity of 0 makes a rendezvous: a send completes only once a
    /// receiver has the message.
    /// </summary>
    /// <typeparam name="T">The type of the messages.</typeparam>
    /// <param name="capacity">The most messages buffered at once; 0 for a rendezvous.</param>
    /// <returns>The receiving and the sending end.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public static (Port<T> Port, Chan<T> Chan) New<T>(int capacity)
    {
        ChanCore<T> core = NewCore<T>(capacity);
        return (new Port<T>(core), new Chan<T>(core));
    }

    internal static ChanCore<T> NewCore<T>(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        return new BoundedCore<T>(capacity);
    }
}
