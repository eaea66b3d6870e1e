namespace Flow.Properties.Models;

/// <summary>
/// What a bounded (or rendezvous) chan should do when driven from one thread: a FIFO buffer of at
/// most <see cref="Capacity"/> messages, and behind it a FIFO of blocked senders, each offering one
/// message. The laws run the same steps on a real chan and on this model and compare.
/// </summary>
/// <param name="capacity">The capacity; 0 for a rendezvous.</param>
public sealed class BoundedChanModel(int capacity)
{
    private readonly Queue<int> _buffer = new();
    private readonly Queue<(int Sender, int Value)> _blocked = new();

    /// <summary>The capacity; 0 for a rendezvous.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Messages in the buffer (what <c>Port.Count</c> reports).</summary>
    public int Count => _buffer.Count;

    /// <summary>Senders waiting for room, oldest first.</summary>
    public IEnumerable<int> BlockedSenders => _blocked.Select(b => b.Sender);

    /// <summary>
    /// <c>TrySend</c>: accepted when the buffer has room. In a rendezvous the buffer never has room
    /// (no receiver is parked when one thread drives both ends), so it is always refused.
    /// </summary>
    /// <param name="value">The message.</param>
    /// <returns>True when accepted.</returns>
    public bool TrySend(int value)
    {
        if (_buffer.Count >= Capacity)
        {
            return false;
        }

        _buffer.Enqueue(value);
        return true;
    }

    /// <summary><c>SendAsync</c>: accepted at once when the buffer has room; otherwise the sender blocks behind the others.</summary>
    /// <param name="sender">Who sends.</param>
    /// <param name="value">The message.</param>
    /// <returns>True when accepted at once; false when the sender is now blocked.</returns>
    public bool Offer(int sender, int value)
    {
        if (TrySend(value))
        {
            return true;
        }

        _blocked.Enqueue((sender, value));
        return false;
    }

    /// <summary>
    /// <c>TryRecv</c>: takes the oldest buffered message and lets the oldest blocked sender's message
    /// into the freed slot; in a rendezvous, takes the oldest blocked sender's message directly.
    /// </summary>
    /// <param name="value">The message taken.</param>
    /// <param name="released">The blocked sender whose send completed, or null.</param>
    /// <returns>True when a message was taken.</returns>
    public bool TryRecv(out int value, out int? released)
    {
        released = null;
        if (_buffer.TryDequeue(out value))
        {
            if (_blocked.TryDequeue(out var next))
            {
                _buffer.Enqueue(next.Value);
                released = next.Sender;
            }

            return true;
        }

        if (_blocked.TryDequeue(out var handedOver))
        {
            value = handedOver.Value;
            released = handedOver.Sender;
            return true;
        }

        return false;
    }
}
