namespace Flow;

/// <summary>Creates values shared between tasks behind a reader-writer lock (the Rust library's <c>RWArc</c>).</summary>
public static class RwArc
{
    /// <summary>Wraps <paramref name="value"/> behind a reader-writer lock.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The initial value.</param>
    /// <returns>The first handle; <see cref="RwArc{T}.Clone"/> makes more.</returns>
    public static RwArc<T> New<T>(T value) => new(new RwBox<T>(value));
}

/// <summary>The value, its lock and its poison, shared by every handle of one <see cref="RwArc{T}"/>.</summary>
internal sealed class RwBox<T>(T value)
{
    public readonly AsyncReaderWriterLock Lock = new();

    /// <summary>The value; read under a read lock, written under the write lock.</summary>
    public T Value = value;

    /// <summary>The failure of a writer that threw; null when sound.</summary>
    public volatile Exception? Poison;
}

/// <summary>
/// A handle to a value shared between tasks that many may read at once and one may write. A
/// <see cref="Write{TResult}"/> that throws poisons the value (later reads and writes throw
/// <see cref="PoisonedException"/> until <see cref="ClearPoison"/>); a throwing read does not, as in Rust.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <remarks>
/// Readers run in parallel; a writer runs alone. A waiting writer holds back new readers, so a
/// stream of readers cannot starve it, and readers that queued behind a writer go in before the
/// next writer. The asynchronous forms never block a thread while they wait.
/// </remarks>
public sealed class RwArc<T>
{
    private readonly RwBox<T> _box;

    internal RwArc(RwBox<T> box) => _box = box;

    /// <summary>True when a writer threw and the poison was not cleared.</summary>
    public bool IsPoisoned => _box.Poison is not null;

    /// <summary>Another handle to the same value, for another task.</summary>
    /// <returns>A handle sharing the value, its lock and its poison.</returns>
    public RwArc<T> Clone() => new(_box);

    /// <summary>Runs <paramref name="body"/> with a read lock, in parallel with other readers.</summary>
    /// <typeparam name="TResult">What the body computes.</typeparam>
    /// <param name="body">Reads the value; must not change it.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="PoisonedException">A writer threw earlier.</exception>
    public TResult Read<TResult>(Func<T, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _box.Lock.EnterRead();
        return RunRead(body);
    }

    /// <summary>Runs <paramref name="body"/> with a read lock, waiting for it without blocking a thread.</summary>
    /// <typeparam name="TResult">What the body computes.</typeparam>
    /// <param name="body">Reads the value; must not change it.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="PoisonedException">A writer threw earlier.</exception>
    public async Task<TResult> ReadAsync<TResult>(Func<T, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        await _box.Lock.EnterReadAsync().ConfigureAwait(false);
        return RunRead(body);
    }

    /// <summary>Runs <paramref name="body"/> with the write lock, alone.</summary>
    /// <typeparam name="TResult">What the body computes.</typeparam>
    /// <param name="body">Reads and mutates the value.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="PoisonedException">A writer threw earlier.</exception>
    public TResult Write<TResult>(Func<T, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _box.Lock.EnterWrite();
        return RunWrite(body, static (body, box) => body(box.Value));
    }

    /// <summary>Runs <paramref name="body"/> with the write lock, alone.</summary>
    /// <param name="body">Mutates the value.</param>
    /// <exception cref="PoisonedException">A writer threw earlier.</exception>
    public void Write(Action<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _box.Lock.EnterWrite();
        RunWrite(body, static (body, box) =>
        {
            body(box.Value);
            return true;
        });
    }

    /// <summary>Replaces the value with what <paramref name="update"/> makes of it, with the write lock held.</summary>
    /// <param name="update">Computes the new value from the old.</param>
    /// <exception cref="PoisonedException">A writer threw earlier.</exception>
    public void Update(Func<T, T> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        _box.Lock.EnterWrite();
        RunWrite(update, static (update, box) => box.Value = update(box.Value));
    }

    /// <summary>Runs <paramref name="body"/> with the write lock, waiting for it without blocking a thread.</summary>
    /// <typeparam name="TResult">What the body computes.</typeparam>
    /// <param name="body">Reads and mutates the value.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="PoisonedException">A writer threw earlier.</exception>
    public async Task<TResult> WriteAsync<TResult>(Func<T, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        await _box.Lock.EnterWriteAsync().ConfigureAwait(false);
        return RunWrite(body, static (body, box) => body(box.Value));
    }

    /// <summary>Declares the value sound again after a writer poisoned it.</summary>
    public void ClearPoison() => _box.Poison = null;

    /// <inheritdoc />
    public override string ToString() => IsPoisoned ? "RwArc(poisoned)" : "RwArc";

    private TResult RunRead<TResult>(Func<T, TResult> body)
    {
        try
        {
            ThrowIfPoisoned();
            return body(_box.Value);
        }
        finally
        {
            _box.Lock.ExitRead();
        }
    }

    /// <summary>Runs a writer with the write lock held, and releases it; state-passing, so no write allocates a closure.</summary>
    private TResult RunWrite<TState, TResult>(TState state, Func<TState, RwBox<T>, TResult> body)
    {
        try
        {
            ThrowIfPoisoned();
            try
            {
                return body(state, _box);
            }
            catch (Exception e)
            {
                _box.Poison = e;
                throw;
            }
        }
        finally
        {
            _box.Lock.ExitWrite();
        }
    }

    private void ThrowIfPoisoned()
    {
        if (_box.Poison is { } poison)
        {
            throw new PoisonedException("The RwArc is poisoned: a writer threw while holding its lock, so the value may be half-updated. Call ClearPoison() once it is known to be sound.", poison);
        }
    }
}
