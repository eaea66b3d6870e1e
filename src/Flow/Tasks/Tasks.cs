namespace Flow;

/// <summary>
/// Spawns Flow tasks: lightweight units of work that run a closure, fail alone, and report how they
/// ended. Use as <c>using static Flow.Tasks;</c> to write <c>Spawn(...)</c> as the guide does.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> The <c>Spawn(state, body)</c> forms hand <c>state</c> to the task: pass a
/// <c>static</c> lambda and the task owns exactly what it was handed. Every <see cref="Chan{T}"/>,
/// <see cref="SharedChan{T}"/> and <see cref="DuplexStream{TSend, TRecv}"/> in the state (the state
/// itself, or an item of a value tuple) is closed when the task ends — completed on success,
/// failed with the task's exception on failure — and every <see cref="Port{T}"/> in it is disposed.</para>
/// <para><b>Failure.</b> An exception thrown out of a body ends that task only (it is the guide's
/// <c>fail!()</c>). The handle reports it; <see cref="SpawnOptions.Link"/> decides whether it also
/// reaches the parent.</para>
/// </remarks>
public static partial class Tasks
{
    /// <summary>Spawns a task running <paramref name="body"/>.</summary>
    /// <param name="body">The task's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The task's handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public static JoinHandle Spawn(Action body, SpawnOptions? options = null) =>
        Started(new ActionTask(body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns a task running the async <paramref name="body"/>; it ends when the returned task does.</summary>
    /// <param name="body">The task's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The task's handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static JoinHandle Spawn(Func<Task> body, SpawnOptions? options = null) =>
        Started(new AsyncActionTask(body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns a task computing a value.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="body">The task's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The task's handle; join or await it for the value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static JoinHandle<T> Spawn<T>(Func<T> body, SpawnOptions? options = null) =>
        Started(new FuncTask<T>(body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns a task computing a value asynchronously.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="body">The task's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The task's handle; join or await it for the value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static JoinHandle<T> Spawn<T>(Func<Task<T>> body, SpawnOptions? options = null) =>
        Started(new AsyncFuncTask<T>(body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns a task that owns <paramref name="state"/> (move semantics; see the class remarks).</summary>
    /// <typeparam name="TState">The state handed over.</typeparam>
    /// <param name="state">What the task owns from now on.</param>
    /// <param name="body">The task's body; make it <c>static</c> so it owns only <paramref name="state"/>.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The task's handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static JoinHandle Spawn<TState>(TState state, Action<TState> body, SpawnOptions? options = null) =>
        Started(new ActionTask<TState>(state, body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns an async task that owns <paramref name="state"/> (move semantics; see the class remarks).</summary>
    /// <typeparam name="TState">The state handed over.</typeparam>
    /// <param name="state">What the task owns from now on.</param>
    /// <param name="body">The task's body; make it <c>static</c> so it owns only <paramref name="state"/>.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The task's handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static JoinHandle Spawn<TState>(TState state, Func<TState, Task> body, SpawnOptions? options = null) =>
        Started(new AsyncActionTask<TState>(state, body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns a task that owns <paramref name="state"/> and computes a value from it.</summary>
    /// <typeparam name="TState">The state handed over.</typeparam>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="state">What the task owns from now on.</param>
    /// <param name="body">The task's body; make it <c>static</c> so it owns only <paramref name="state"/>.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The task's handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static JoinHandle<T> Spawn<TState, T>(TState state, Func<TState, T> body, SpawnOptions? options = null) =>
        Started(new FuncTask<TState, T>(state, body ?? throw new ArgumentNullException(nameof(body)), options));

    /// <summary>Spawns an async task that owns <paramref name="state"/> and computes a value from it.</summary>
    /// <typeparam name="TState">The state handed over.</typeparam>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="state">What the task owns from now on.</param>
    /// <param name="body">The task's body; make it <c>static</c> so it owns only <paramref name="state"/>.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>The task's handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static JoinHandle<T> Spawn<TState, T>(TState state, Func<TState, Task<T>> body, SpawnOptions? options = null) =>
        Started(new AsyncFuncTask<TState, T>(state, body ?? throw new ArgumentNullException(nameof(body)), options));

    private static THandle Started<THandle>(THandle task)
        where THandle : JoinHandle
    {
        task.Start();
        return task;
    }
}
