namespace Flow;

/// <summary>
/// Structured concurrency: tasks spawned into a scope end before the scope does. The first child
/// to fail kills its siblings, and <see cref="JoinAsync"/> reports that failure.
/// </summary>
/// <example>
/// <code>
/// await using var scope = new TaskScope();
/// scope.Spawn(() => Download(a));
/// scope.Spawn(() => Download(b));
/// await scope.JoinAsync(); // throws TaskFailedException with the first failure
/// </code>
/// </example>
/// <remarks>
/// <para>Disposal waits for every child. If <see cref="JoinAsync"/> was not awaited, disposal
/// rethrows the first failure, so none is lost; after an awaited <see cref="JoinAsync"/> it does
/// not throw it again. A scope created inside a Flow task kills its children when that task is
/// killed. Spawning into a disposed scope throws <see cref="ObjectDisposedException"/>.</para>
/// <para>Children's outcomes count as observed: the scope reports them, so they never raise
/// <see cref="Tasks.UnobservedFailure"/>.</para>
/// </remarks>
public sealed class TaskScope : IAsyncDisposable
{
    private readonly Lock _gate = new();

    /// <summary>Children still running; guarded by <see cref="_gate"/>.</summary>
    private readonly HashSet<JoinHandle> _running = [];

    /// <summary>Every child in end order, for <see cref="Completions"/>.</summary>
    private readonly Port<JoinHandle> _endedPort;
    private readonly SharedChan<JoinHandle> _endedChan;

    private readonly CancellationTokenRegistration _ownerKilled;

    /// <summary>Completed when no child is running; replaced when a child starts after that. Guarded by <see cref="_gate"/>.</summary>
    private TaskCompletionSource _idle = NewIdle(completed: true);

    /// <summary>The first child that failed; guarded by <see cref="_gate"/>.</summary>
    private TaskFailure? _firstFailure;

    private bool _joined;
    private int _disposed;

    /// <summary>Creates an empty scope. Inside a Flow task, the task's kill kills the scope's children.</summary>
    public TaskScope()
    {
        (_endedPort, _endedChan) = SharedChan.New<JoinHandle>();
        CancellationToken ownerKill = Ambient.KillToken;
        _ownerKilled = ownerKill.CanBeCanceled ? ownerKill.UnsafeRegister(static s => ((TaskScope)s!).Kill(), this) : default;
    }

    /// <summary>The first failure among the children so far, or null.</summary>
    public TaskFailure? FirstFailure
    {
        get
        {
            lock (_gate)
            {
                return _firstFailure;
            }
        }
    }

    /// <summary>Spawns a child running <paramref name="body"/> into the scope.</summary>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The child's handle.</returns>
    /// <exception cref="ObjectDisposedException">The scope was disposed.</exception>
    public JoinHandle Spawn(Action body, SpawnOptions? options = null) => Adopt(new ActionTask(body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns a child running the async <paramref name="body"/> into the scope.</summary>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The child's handle.</returns>
    /// <exception cref="ObjectDisposedException">The scope was disposed.</exception>
    public JoinHandle Spawn(Func<Task> body, SpawnOptions? options = null) => Adopt(new AsyncActionTask(body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns a child computing a value into the scope.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The child's handle.</returns>
    /// <exception cref="ObjectDisposedException">The scope was disposed.</exception>
    public JoinHandle<T> Spawn<T>(Func<T> body, SpawnOptions? options = null) => Adopt(new FuncTask<T>(body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns a child computing a value asynchronously into the scope.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The child's handle.</returns>
    /// <exception cref="ObjectDisposedException">The scope was disposed.</exception>
    public JoinHandle<T> Spawn<T>(Func<Task<T>> body, SpawnOptions? options = null) => Adopt(new AsyncFuncTask<T>(body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns a child that owns <paramref name="state"/> into the scope (move semantics, as <see cref="Tasks.Spawn{TState}(TState, Action{TState}, SpawnOptions?)"/>).</summary>
    /// <typeparam name="TState">The state handed over.</typeparam>
    /// <param name="state">What the child owns.</param>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The child's handle.</returns>
    /// <exception cref="ObjectDisposedException">The scope was disposed.</exception>
    public JoinHandle Spawn<TState>(TState state, Action<TState> body, SpawnOptions? options = null) =>
        Adopt(new ActionTask<TState>(state, body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns an async child that owns <paramref name="state"/> into the scope.</summary>
    /// <typeparam name="TState">The state handed over.</typeparam>
    /// <param name="state">What the child owns.</param>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The child's handle.</returns>
    /// <exception cref="ObjectDisposedException">The scope was disposed.</exception>
    public JoinHandle Spawn<TState>(TState state, Func<TState, Task> body, SpawnOptions? options = null) =>
        Adopt(new AsyncActionTask<TState>(state, body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>
    /// Waits until every child ended. Throws <see cref="TaskFailedException"/> with the first
    /// failure, if a child failed (its siblings were killed).
    /// </summary>
    /// <param name="cancellationToken">Stops the wait (not the children).</param>
    /// <returns>Completes when no child is running.</returns>
    /// <exception cref="TaskFailedException">A child failed.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        await WaitIdleAsync(cancellationToken).ConfigureAwait(false);
        TaskFailure? failure;
        lock (_gate)
        {
            _joined = true;
            failure = _firstFailure;
        }

        if (failure is not null)
        {
            throw new TaskFailedException(failure);
        }
    }

    /// <summary>The children in the order they end, as they end; the sequence ends when the scope is disposed.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The ended children's handles.</returns>
    public async IAsyncEnumerable<JoinHandle> Completions([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (JoinHandle child in _endedPort.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return child;
        }
    }

    /// <summary>Kills every running child.</summary>
    public void Kill()
    {
        JoinHandle[] running;
        lock (_gate)
        {
            running = [.. _running];
        }

        foreach (JoinHandle child in running)
        {
            child.Kill();
        }
    }

    /// <summary>Waits for every child; rethrows the first failure unless <see cref="JoinAsync"/> was awaited.</summary>
    /// <returns>Completes when every child ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _ownerKilled.DisposeAsync().ConfigureAwait(false);
        await WaitIdleAsync(default).ConfigureAwait(false);
        _endedChan.Close();
        TaskFailure? failure;
        lock (_gate)
        {
            failure = _joined ? null : _firstFailure;
        }

        if (failure is not null)
        {
            throw new TaskFailedException(failure);
        }
    }

    private THandle Adopt<THandle>(THandle child)
        where THandle : JoinHandle
    {
        child.Scope = this;
        child.MarkObserved();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            _running.Add(child);
            if (_idle.Task.IsCompleted)
            {
                _idle = NewIdle(completed: false);
            }
        }

        child.Start();
        return child;
    }

    /// <summary>Called by a child as it ends.</summary>
    internal void OnChildEnded(JoinHandle child)
    {
        bool killSiblings = false;
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            _running.Remove(child);
            if (child.Status == TaskState.Failed && _firstFailure is null)
            {
                _firstFailure = child.Failure;
                killSiblings = true;
            }

            if (_running.Count == 0)
            {
                idle = _idle;
            }
        }

        _endedChan.TrySend(child);
        if (killSiblings)
        {
            Kill();
        }

        idle?.TrySetResult();
    }

    private Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        Task idle;
        lock (_gate)
        {
            idle = _idle.Task;
        }

        return idle.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            idle.SetResult();
        }

        return idle;
    }
}
