using System.Runtime.CompilerServices;

namespace Flow;

/// <summary>A spawned Flow task that produces a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The body's result.</typeparam>
/// <remarks>See <see cref="JoinHandle"/> for failure, killing and threading.</remarks>
public abstract class JoinHandle<T> : JoinHandle
{
    private T _value = default!;

    internal JoinHandle(SpawnOptions? options)
        : base(options)
    {
    }

    /// <summary>Blocks the calling thread until the task ends.</summary>
    /// <returns>Ok with the value, or Err with the failure.</returns>
    /// <exception cref="TaskKilledException">The calling Flow task was killed while waiting.</exception>
    public new Result<T> Join()
    {
        WaitEnded();
        return AsValueResult();
    }

    /// <summary>Waits for the task to end without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops the wait (not the task).</param>
    /// <returns>Ok with the value, or Err with the failure.</returns>
    public new async Task<Result<T>> JoinAsync(CancellationToken cancellationToken = default)
    {
        await WaitEndedAsync(cancellationToken).ConfigureAwait(false);
        return AsValueResult();
    }

    /// <summary>Lets <c>await handle</c> return the value; throws <see cref="TaskFailedException"/> when the task failed or was killed.</summary>
    /// <returns>The awaiter.</returns>
    public new TaskAwaiter<T> GetAwaiter() => AwaitValueAsync().GetAwaiter();

    private async Task<T> AwaitValueAsync()
    {
        await WaitEndedAsync(default).ConfigureAwait(false);
        return AsValueResult().Unwrap();
    }

    private Result<T> AsValueResult()
    {
        Result result = AsResult();
        return result.Error is { } failure ? Result<T>.Err(failure) : Result<T>.Ok(_value);
    }

    /// <summary>Ends the task with its value.</summary>
    private protected void Complete(T value)
    {
        // Written before the end is published (Complete → End's interlocked state change).
        _value = value;
        Complete();
    }

    /// <summary>Ends an async body that returned a value.</summary>
    private protected void EndAsync(Task<T> body)
    {
        if (body.IsCompletedSuccessfully)
        {
            Complete(body.Result);
        }
        else
        {
            Fail(Unwrap(body));
        }
    }
}
