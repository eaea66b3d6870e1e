namespace Flow;

public static partial class Tasks
{
    /// <summary>
    /// Runs <paramref name="body"/> in a child task and blocks until it ends (the guide's
    /// <c>task::try</c>). Nothing escapes: a failure comes back as an Err result.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>Ok with the value, or Err with what failed and why.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static Result<T> Try<T>(Func<T> body, SpawnOptions? options = null) => Spawn(body, options).Join();

    /// <summary>Runs <paramref name="body"/> in a child task and blocks until it ends. A failure comes back as an Err result.</summary>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>Ok, or Err with what failed and why.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static Result Try(Action body, SpawnOptions? options = null) => Spawn(body, options).Join();

    /// <summary>Runs the async <paramref name="body"/> in a child task and waits for it without blocking. A failure comes back as an Err result.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>Ok with the value, or Err with what failed and why.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static Task<Result<T>> TryAsync<T>(Func<Task<T>> body, SpawnOptions? options = null) => Spawn(body, options).JoinAsync();

    /// <summary>Runs the async <paramref name="body"/> in a child task and waits for it without blocking. A failure comes back as an Err result.</summary>
    /// <param name="body">The child's body.</param>
    /// <param name="options">Name, scheduler and link mode; defaults when null.</param>
    /// <returns>Ok, or Err with what failed and why.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static Task<Result> TryAsync(Func<Task> body, SpawnOptions? options = null) => Spawn(body, options).JoinAsync();
}
