namespace Flow;

/// <summary>
/// Creates futures: values computed in the background and fetched later (the guide's
/// <c>extra::future</c>).
/// </summary>
/// <example>
/// <code>
/// Future&lt;ulong&gt; delayedFib = Future.Spawn(() => Fib(50));
/// MakeASandwich();
/// Console.WriteLine($"fib(50) = {delayedFib.Get()}");
/// </code>
/// </example>
public static class Future
{
    /// <summary>Starts computing <paramref name="body"/> in a new task and returns its future at once.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="body">The computation.</param>
    /// <param name="options">Name, scheduler and link mode of the computing task; defaults when null.</param>
    /// <returns>The future of the value; <see cref="Future{T}.Get"/> throws <see cref="TaskFailedException"/> if the computation fails.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static Future<T> Spawn<T>(Func<T> body, SpawnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var future = new Future<T>();
        future.ComputeWith(Tasks.Spawn(body, options));
        return future;
    }

    /// <summary>Starts the async <paramref name="body"/> in a new task and returns its future at once.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="body">The computation.</param>
    /// <param name="options">Name, scheduler and link mode of the computing task; defaults when null.</param>
    /// <returns>The future of the value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static Future<T> Spawn<T>(Func<Task<T>> body, SpawnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var future = new Future<T>();
        future.ComputeWith(Tasks.Spawn(body, options));
        return future;
    }

    /// <summary>A future that already has <paramref name="value"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>A ready future.</returns>
    public static Future<T> FromValue<T>(T value)
    {
        var future = new Future<T>();
        future.TrySetValue(value);
        return future;
    }

    /// <summary>
    /// The future of the first message <paramref name="port"/> receives. It fails with
    /// <see cref="ChannelClosedException"/> when the port closes without a message.
    /// </summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="port">The port; the future becomes its receiver until the first message.</param>
    /// <returns>The future of the first message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="port"/> is null.</exception>
    public static Future<T> FromPort<T>(Port<T> port)
    {
        ArgumentNullException.ThrowIfNull(port);
        var future = new Future<T>();
        future.ReceiveFrom(port);
        return future;
    }

    /// <summary>A future and the promise that completes it.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <returns>The future, for readers; the promise, for the one writer.</returns>
    public static (Future<T> Future, Promise<T> Promise) New<T>()
    {
        var future = new Future<T>();
        return (future, new Promise<T>(future));
    }
}
