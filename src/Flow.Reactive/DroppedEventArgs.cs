namespace Flow.Reactive;

/// <summary>A message that a drop policy dropped.</summary>
/// <typeparam name="T">The message type.</typeparam>
public sealed class DroppedEventArgs<T> : EventArgs
{
    internal DroppedEventArgs(T message, long droppedSoFar)
    {
        Message = message;
        DroppedSoFar = droppedSoFar;
    }

    /// <summary>The dropped message.</summary>
    public T Message { get; }

    /// <summary>How many messages the port dropped so far, this one included.</summary>
    public long DroppedSoFar { get; }
}
