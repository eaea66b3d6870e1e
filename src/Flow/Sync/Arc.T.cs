namespace Flow;

/// <summary>
/// A handle to a value shared between tasks without copying it. Each task gets its own handle
/// (<see cref="Clone"/>) and disposes it when done; the last dispose disposes the value if it is
/// <see cref="IDisposable"/>.
/// </summary>
/// <typeparam name="T">The shared value's type; it should be immutable.</typeparam>
/// <remarks>
/// Each handle is disposed once (a second dispose does nothing) and is unusable afterwards, even
/// while other handles keep the value alive: <see cref="Value"/>, <see cref="Get"/> and
/// <see cref="Clone"/> then throw <see cref="ObjectDisposedException"/>. Every member is safe to
/// call from any thread; the value is disposed exactly once, under any interleaving.
/// </remarks>
public sealed class Arc<T> : IDisposable
{
    private readonly ArcBox<T> _box;
    private int _disposed;

    internal Arc(ArcBox<T> box) => _box = box;

    /// <summary>The shared value.</summary>
    /// <exception cref="ObjectDisposedException">This handle was disposed.</exception>
    public T Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _box.Value;
        }
    }

    /// <summary>The number of live handles to the value (a snapshot).</summary>
    public int RefCount => _box.Count;

    /// <summary>The shared value (the guide's <c>get</c>).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ObjectDisposedException">This handle was disposed.</exception>
    public T Get() => Value;

    /// <summary>Another handle to the same value, for another task; the data is not copied.</summary>
    /// <returns>A new handle; dispose it when done.</returns>
    /// <exception cref="ObjectDisposedException">This handle, or every handle, was disposed.</exception>
    public Arc<T> Clone()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0 || !_box.TryRetain(), this);
        return new Arc<T>(_box);
    }

    /// <summary>Drops this handle; the last one disposes the value if it is <see cref="IDisposable"/>. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _box.Release();
        }
    }

    /// <inheritdoc />
    public override string ToString() => Volatile.Read(ref _disposed) != 0 ? "Arc(disposed)" : $"Arc({_box.Value}, refs: {RefCount})";
}
