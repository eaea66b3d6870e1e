namespace Flow.Properties.Generators;

/// <summary>How a channel under test buffers: unbounded, bounded with a capacity, or rendezvous (capacity 0).</summary>
/// <param name="Capacity">Null for unbounded; otherwise the capacity, 0 for a rendezvous.</param>
public readonly record struct ChanShape(int? Capacity)
{
    /// <summary>An unbounded channel.</summary>
    public static ChanShape Unbounded => new(null);

    /// <summary>A rendezvous channel: a send completes when a receiver takes the message.</summary>
    public static ChanShape Rendezvous => new(0);

    /// <summary>A channel that holds at most <paramref name="capacity"/> messages.</summary>
    /// <param name="capacity">The capacity, 1 or more.</param>
    /// <returns>The shape.</returns>
    public static ChanShape Bounded(int capacity) => new(capacity);

    /// <summary>True when a send may have to wait for the receiver (bounded or rendezvous).</summary>
    public bool MayBlock => Capacity is not null;

    /// <summary>Creates a single-sender channel of this shape.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <returns>The port and the chan.</returns>
    public (Port<T> Port, Chan<T> Chan) NewChan<T>() => Capacity is int capacity ? Chan.New<T>(capacity) : Chan.New<T>();

    /// <summary>Creates a shared channel of this shape.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <returns>The port and the first sending handle.</returns>
    public (Port<T> Port, SharedChan<T> Chan) NewShared<T>() => Capacity is int capacity ? SharedChan.New<T>(capacity) : SharedChan.New<T>();

    /// <inheritdoc />
    public override string ToString() => Capacity switch
    {
        null => "unbounded",
        0 => "rendezvous",
        int capacity => $"bounded({capacity})",
    };
}
