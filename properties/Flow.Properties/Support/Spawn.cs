namespace Flow.Properties.Support;

/// <summary>Starts the concurrent parts of a law, all released together by one start gate.</summary>
public sealed class Spawn
{
    private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _started = [];

    /// <summary>
    /// Starts <paramref name="body"/> on a dedicated background thread, so blocking sends and
    /// receives never starve the thread pool. It runs once <see cref="Release"/> is called.
    /// </summary>
    /// <param name="body">The blocking work.</param>
    /// <param name="token">Cancels the wait for the start gate.</param>
    /// <returns>Completes when <paramref name="body"/> returns; faults with what it threw.</returns>
    public Task Thread(Action body, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(body);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                _go.Task.Wait(token);
                body();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "law worker",
        };
        thread.Start();
        _started.Add(done.Task);
        return done.Task;
    }

    /// <summary>Starts <paramref name="body"/> on the thread pool, with no synchronization context; it runs once <see cref="Release"/> is called.</summary>
    /// <param name="body">The asynchronous work.</param>
    /// <param name="token">Cancels the wait for the start gate.</param>
    /// <returns>The task of <paramref name="body"/>.</returns>
    public Task Async(Func<Task> body, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(body);
        Task task = Task.Run(
            async () =>
            {
                await _go.Task.WaitAsync(token).ConfigureAwait(false);
                await body().ConfigureAwait(false);
            },
            token);
        _started.Add(task);
        return task;
    }

    /// <summary>Opens the start gate: every part starts at once.</summary>
    public void Release() => _go.TrySetResult();

    /// <summary>Waits for every part started, within <paramref name="deadline"/>; rethrows the first failure.</summary>
    /// <param name="deadline">The run's deadline.</param>
    /// <param name="what">What the parts do, for the failure message.</param>
    public void JoinAll(Deadline deadline, string what)
    {
        ArgumentNullException.ThrowIfNull(deadline);
        deadline.Wait(Task.WhenAll(_started), what);
    }
}
