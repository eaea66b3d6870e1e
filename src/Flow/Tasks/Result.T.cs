namespace Flow;

/// <summary>
/// How a task with a value ended: Ok with its value, or Err with the <see cref="TaskFailure"/>
/// that says what failed and why.
/// </summary>
/// <typeparam name="T">The task's value.</typeparam>
public readonly struct Result<T> : IEquatable<Result<T>>
{
    private readonly T _value;
    private readonly TaskFailure? _error;

    private Result(T value, TaskFailure? error)
    {
        _value = value;
        _error = error;
    }

    /// <summary>True when the task completed with a value.</summary>
    public bool IsOk => _error is null;

    /// <summary>True when the task failed or was killed.</summary>
    public bool IsErr => _error is not null;

    /// <summary>The failure; null when Ok.</summary>
    public TaskFailure? Error => _error;

    /// <summary>The value.</summary>
    /// <exception cref="TaskFailedException">The result is Err.</exception>
    public T Value => _error is null ? _value : throw new TaskFailedException(_error);

    /// <summary>An Ok result with <paramref name="value"/>.</summary>
    internal static Result<T> Ok(T value) => new(value, null);

    /// <summary>An Err result for <paramref name="failure"/>.</summary>
    internal static Result<T> Err(TaskFailure failure) => new(default!, failure ?? throw new ArgumentNullException(nameof(failure)));

    /// <summary>The value, or throws <see cref="TaskFailedException"/> when Err.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="TaskFailedException">The result is Err.</exception>
    public T Unwrap() => Value;

    /// <summary>Gets the value when Ok.</summary>
    /// <param name="value">The value, when the result is true.</param>
    /// <returns>True when Ok.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return _error is null;
    }

    /// <summary>Maps the result to a value.</summary>
    /// <typeparam name="TResult">The mapped type.</typeparam>
    /// <param name="ok">Runs with the value when Ok.</param>
    /// <param name="err">Runs with the failure when Err.</param>
    /// <returns>What the chosen function returned.</returns>
    public TResult Match<TResult>(Func<T, TResult> ok, Func<TaskFailure, TResult> err)
    {
        ArgumentNullException.ThrowIfNull(ok);
        ArgumentNullException.ThrowIfNull(err);
        return _error is null ? ok(_value) : err(_error);
    }

    /// <summary>Deconstructs into whether it is Ok, the value and the failure.</summary>
    /// <param name="isOk">True when Ok.</param>
    /// <param name="value">The value when Ok; default otherwise.</param>
    /// <param name="error">The failure when Err.</param>
    public void Deconstruct(out bool isOk, out T? value, out TaskFailure? error)
    {
        isOk = _error is null;
        value = _value;
        error = _error;
    }

    /// <summary>Drops the value: the same outcome as a <see cref="Result"/>.</summary>
    /// <param name="result">The result to convert.</param>
    public static implicit operator Result(Result<T> result) => result._error is null ? Result.Ok : Result.Err(result._error);

    /// <summary>Drops the value: the same outcome as a <see cref="Result"/>.</summary>
    /// <returns>Ok or Err with the same failure.</returns>
    public Result ToResult() => this;

    /// <inheritdoc />
    public bool Equals(Result<T> other) => ReferenceEquals(_error, other._error) && EqualityComparer<T>.Default.Equals(_value, other._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Result<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_value, _error);

    /// <summary>True when both are Ok with equal values, or both carry the same failure.</summary>
    public static bool operator ==(Result<T> left, Result<T> right) => left.Equals(right);

    /// <summary>The negation of ==.</summary>
    public static bool operator !=(Result<T> left, Result<T> right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => _error is null ? $"Ok({_value})" : $"Err({_error})";
}
