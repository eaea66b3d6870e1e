namespace Flow;

/// <summary>
/// Creates atomically reference-counted handles to one shared, immutable value (the guide's
/// <c>extra::arc::Arc</c>): cloning copies the handle, never the data.
/// </summary>
public static class Arc
{
    /// <summary>Wraps <paramref name="value"/> in its first handle.</summary>
    /// <typeparam name="T">The value's type; share only values that nobody mutates (an <c>ImmutableArray</c>, a <c>ReadOnlyMemory</c>, a record).</typeparam>
    /// <param name="value">The value to share.</param>
    /// <returns>The first handle; <see cref="Arc{T}.RefCount"/> is 1.</returns>
    public static Arc<T> New<T>(T value) => new(new ArcBox<T>(value));
}

/// <summary>The value and the count of live handles that all clones of one <see cref="Arc{T}"/> share.</summary>
internal sealed class ArcBox<T>(T value)
{
    /// <summary>Live handles. Never rises again once it reached 0 (<see cref="TryRetain"/> refuses), so the value is released once.</summary>
    private int _count = 1;

    public T Value { get; } = value;

    public int Count => Volatile.Read(ref _count);

    public bool TryRetain() => RefCount.TryAddIfLive(ref _count, "handles of one Arc");

    public void Release()
    {
        if (Interlocked.Decrement(ref _count) == 0 && Value is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
