namespace Flow;

/// <summary>The writing side of a <see cref="Future{T}"/>: completes it once, with a value or a failure.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <remarks>A promise is a handle to its future, so copying it copies the handle; any copy may complete it, once.</remarks>
public readonly struct Promise<T> : IEquatable<Promise<T>>
{
    private readonly Future<T>? _future;

    internal Promise(Future<T> future) => _future = future;

    /// <summary>The future this promise completes.</summary>
    /// <exception cref="InvalidOperationException">The promise is a default value, not one from <see cref="Future.New{T}"/>.</exception>
    public Future<T> Future => _future ?? throw new InvalidOperationException("A default Promise<T> completes nothing; get one from Future.New<T>().");

    /// <summary>Completes the future with <paramref name="value"/>.</summary>
    /// <param name="value">The value every reader gets.</param>
    /// <exception cref="InvalidOperationException">The future was already completed or failed.</exception>
    public void Complete(T value)
    {
        if (!TryComplete(value))
        {
            throw AlreadyDone();
        }
    }

    /// <summary>Fails the future: every <c>Get</c> throws <see cref="TaskFailedException"/> with <paramref name="exception"/> inside.</summary>
    /// <param name="exception">Why there is no value.</param>
    /// <exception cref="InvalidOperationException">The future was already completed or failed.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public void Fail(Exception exception)
    {
        if (!TryFail(exception))
        {
            throw AlreadyDone();
        }
    }

    /// <summary>Completes the future with <paramref name="value"/> unless it was already completed or failed.</summary>
    /// <param name="value">The value.</param>
    /// <returns>True when this call completed it.</returns>
    public bool TryComplete(T value) => Future.TrySetValue(value);

    /// <summary>Fails the future unless it was already completed or failed.</summary>
    /// <param name="exception">Why there is no value.</param>
    /// <returns>True when this call failed it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public bool TryFail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Future.TrySetFailure(new TaskFailure(default, "promise", exception));
    }

    /// <inheritdoc />
    public bool Equals(Promise<T> other) => ReferenceEquals(_future, other._future);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Promise<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _future?.GetHashCode() ?? 0;

    /// <summary>True when both complete the same future.</summary>
    public static bool operator ==(Promise<T> left, Promise<T> right) => left.Equals(right);

    /// <summary>False when both complete the same future.</summary>
    public static bool operator !=(Promise<T> left, Promise<T> right) => !left.Equals(right);

    private static InvalidOperationException AlreadyDone() =>
        new("The future was already completed or failed; a promise completes once. Use TryComplete/TryFail when several writers race.");
}
