namespace Flow;

/// <summary>The <c>await foreach</c> enumerator of a port; a step that waits allocates nothing.</summary>
/// <remarks>
/// A step that has to wait returns the port's reusable receiver operation itself, which leaves
/// the message in <see cref="AsyncReceiver{T}.LastItem"/>; <see cref="Current"/> reads it from
/// there until the next step.
/// </remarks>
internal sealed class PortAsyncEnumerator<T>(ChanCore<T> core, CancellationToken cancellationToken) : IAsyncEnumerator<T>
{
    private AsyncReceiver<T>? _receiver;
    private T _current = default!;

    public T Current => _receiver is { } receiver ? receiver.LastItem : _current;

    public ValueTask<bool> MoveNextAsync()
    {
        if (core.TryRecv(out T? message))
        {
            _receiver = null;
            _current = message;
            return new ValueTask<bool>(true);
        }

        return core.MoveNextAsync(cancellationToken, out _receiver);
    }

    public ValueTask DisposeAsync() => default;
}
