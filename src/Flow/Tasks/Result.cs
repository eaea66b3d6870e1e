namespace Flow;

/// <summary>
/// How a task without a value ended: Ok, or Err with the <see cref="TaskFailure"/> that says what
/// failed and why. Unlike the guide's <c>Err(())</c>, the error carries its cause.
/// </summary>
public readonly struct Result : IEquatable<Result>
{
    private readonly TaskFailure? _error;

    private Result(TaskFailure? error) => _error = error;

    /// <summary>The Ok result.</summary>
    public static Result Ok => default;

    /// <summary>True when the task completed.</summary>
    public bool IsOk => _error is null;

    /// <summary>True when the task failed or was killed.</summary>
    public bool IsErr => _error is not null;

    /// <summary>The failure; null when Ok.</summary>
    public TaskFailure? Error => _error;

    /// <summary>An Err result for <paramref name="failure"/>.</summary>
    /// <param name="failure">What failed and why.</param>
    /// <returns>The Err result.</returns>
    public static Result Err(TaskFailure failure) => new(failure ?? throw new ArgumentNullException(nameof(failure)));

    /// <summary>Returns when Ok; throws <see cref="TaskFailedException"/> when Err.</summary>
    /// <exception cref="TaskFailedException">The task failed.</exception>
    public void Unwrap()
    {
        if (_error is not null)
        {
            throw new TaskFailedException(_error);
        }
    }

    /// <summary>Maps the result to a value.</summary>
    /// <typeparam name="TResult">The value's type.</typeparam>
    /// <param name="ok">Runs when Ok.</param>
    /// <param name="err">Runs with the failure when Err.</param>
    /// <returns>What the chosen function returned.</returns>
    public TResult Match<TResult>(Func<TResult> ok, Func<TaskFailure, TResult> err)
    {
        ArgumentNullException.ThrowIfNull(ok);
        ArgumentNullException.ThrowIfNull(err);
        return _error is null ? ok() : err(_error);
    }

    /// <summary>Deconstructs into whether it is Ok and the failure.</summary>
    /// <param name="isOk">True when Ok.</param>
    /// <param name="error">The failure when Err.</param>
    public void Deconstruct(out bool isOk, out TaskFailure? error)
    {
        isOk = _error is null;
        error = _error;
    }

    /// <inheritdoc />
    public bool Equals(Result other) => ReferenceEquals(_error, other._error);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Result other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _error?.GetHashCode() ?? 0;

    /// <summary>True when both are Ok, or both carry the same failure.</summary>
    public static bool operator ==(Result left, Result right) => left.Equals(right);

    /// <summary>False when both are Ok, or both carry the same failure.</summary>
    public static bool operator !=(Result left, Result right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => _error is null ? "Ok" : $"Err({_error})";
}
