namespace Flow;

/// <summary>Creates mutable values shared between tasks behind a lock (the Rust library's <c>MutexArc</c>).</summary>
public static class MutexArc
{
    /// <summary>Wraps <paramref name="value"/> behind a lock.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The initial value.</param>
    /// <returns>The first handle; <see cref="MutexArc{T}.Clone"/> makes more.</returns>
    public static MutexArc<T> New<T>(T value) => new(new MutexBox<T>(value));
}

/// <summary>The value, its lock and its poison, shared by every handle of one <see cref="MutexArc{T}"/>.</summary>
internal sealed class MutexBox<T>(T value)
{
    public readonly AsyncMutex Mutex = new();

    /// <summary>The value; read and written only while holding <see cref="Mutex"/>.</summary>
    public T Value = value;

    /// <summary>The failure of a body that threw while holding the lock; null when sound.</summary>
    public volatile Exception? Poison;
}

/// <summary>
/// A handle to a mutable value shared between tasks: every access runs with the lock held, one at a
/// time. A body that throws while holding the lock poisons the value: later accesses throw
/// <see cref="PoisonedException"/> (carrying the original failure) until <see cref="ClearPoison"/>.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <remarks>
/// Accesses are served in arrival order. The asynchronous forms never block a thread while they
/// wait for the lock. Do not let the value escape a body: what the body returns should not alias it.
/// Every member is safe to call from any thread.
/// </remarks>
public sealed class MutexArc<T>
{
    private readonly MutexBox<T> _box;

    internal MutexArc(MutexBox<T> box) => _box = box;

    /// <summary>True when a body threw while holding the lock and the poison was not cleared.</summary>
    public bool IsPoisoned => _box.Poison is not null;

    /// <summary>Another handle to the same value, for another task.</summary>
    /// <returns>A handle sharing the value, its lock and its poison.</returns>
    public MutexArc<T> Clone() => new(_box);

    /// <summary>Runs <paramref name="body"/> on the value with the lock held, blocking while another access runs.</summary>
    /// <typeparam name="TResult">What the body computes.</typeparam>
    /// <param name="body">Reads or mutates the value; must not keep it.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="PoisonedException">An earlier body threw while holding the lock.</exception>
    public TResult Access<TResult>(Func<T, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _box.Mutex.Enter();
        return Run(body, static (body, box) => body(box.Value));
    }

    /// <summary>Runs <paramref name="body"/> on the value with the lock held.</summary>
    /// <param name="body">Reads or mutates the value.</param>
    /// <exception cref="PoisonedException">An earlier body threw while holding the lock.</exception>
    public void Access(Action<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _box.Mutex.Enter();
        Run(body, static (body, box) =>
        {
            body(box.Value);
            return true;
        });
    }

    /// <summary>Replaces the value with what <paramref name="update"/> makes of it, with the lock held (works for value types too).</summary>
    /// <param name="update">Computes the new value from the old.</param>
    /// <exception cref="PoisonedException">An earlier body threw while holding the lock.</exception>
    public void Update(Func<T, T> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        _box.Mutex.Enter();
        Run(update, static (update, box) => box.Value = update(box.Value));
    }

    /// <summary>Runs <paramref name="body"/> on the value with the lock held, waiting for the lock without blocking a thread.</summary>
    /// <typeparam name="TResult">What the body computes.</typeparam>
    /// <param name="body">Reads or mutates the value.</param>
    /// <param name="cancellationToken">Stops the wait for the lock. If cancelled, the body did not run.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="PoisonedException">An earlier body threw while holding the lock.</exception>
    public async Task<TResult> AccessAsync<TResult>(Func<T, TResult> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await _box.Mutex.EnterAsync(cancellationToken).ConfigureAwait(false);
        return Run(body, static (body, box) => body(box.Value));
    }

    /// <summary>Runs the async <paramref name="body"/> on the value with the lock held until its task ends.</summary>
    /// <typeparam name="TResult">What the body computes.</typeparam>
    /// <param name="body">Reads or mutates the value, asynchronously.</param>
    /// <param name="cancellationToken">Stops the wait for the lock. If cancelled, the body did not run.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="PoisonedException">An earlier body threw while holding the lock.</exception>
    public async Task<TResult> AccessAsync<TResult>(Func<T, Task<TResult>> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await _box.Mutex.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfPoisoned();
            try
            {
                return await body(_box.Value).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _box.Poison = e;
                throw;
            }
        }
        finally
        {
            _box.Mutex.Exit();
        }
    }

    /// <summary>Replaces the value, waiting for the lock without blocking a thread.</summary>
    /// <param name="update">Computes the new value from the old.</param>
    /// <param name="cancellationToken">Stops the wait for the lock. If cancelled, nothing changed.</param>
    /// <returns>Completes when the value was replaced.</returns>
    /// <exception cref="PoisonedException">An earlier body threw while holding the lock.</exception>
    public async Task UpdateAsync(Func<T, T> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await _box.Mutex.EnterAsync(cancellationToken).ConfigureAwait(false);
        Run(update, static (update, box) => box.Value = update(box.Value));
    }

    /// <summary>Declares the value sound again after a body poisoned it.</summary>
    public void ClearPoison() => _box.Poison = null;

    /// <inheritdoc />
    public override string ToString() => IsPoisoned ? "MutexArc(poisoned)" : "MutexArc";

    /// <summary>
    /// Runs a body with the lock already held, and releases it. The body gets its state and the box
    /// as arguments, so every form above passes a static lambda and no access allocates a closure.
    /// </summary>
    private TResult Run<TState, TResult>(TState state, Func<TState, MutexBox<T>, TResult> body)
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
            _box.Mutex.Exit();
        }
    }

    private void ThrowIfPoisoned()
    {
        if (_box.Poison is { } poison)
        {
            throw new PoisonedException("The MutexArc is poisoned: a body threw while holding its lock, so the value may be half-updated. Call ClearPoison() once it is known to be sound.", poison);
        }
    }
}
