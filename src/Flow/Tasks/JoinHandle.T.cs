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
    public new Task<Result<T>> JoinAsync(CancellationToken cancellationToken = default) =>
        IsEnded ? Task.FromResult(AsValueResult()) : JoinWaitingAsync(cancellationToken);

    private async Task<Result<T>> JoinWaitingAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            await WaitEndedAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // One async method, not two, on the common path.
            await new EndAwaitable(this);
        }

        return AsValueResult();
    }

    /// <summary>Lets <c>await handle</c> return the value; throws <see cref="TaskFailedException"/> when the task failed or was killed.</summary>
    /// <returns>The awaiter.</returns>
    public new ValueAwaiter GetAwaiter() => new(this);

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

    private protected override void OnBodyEnded(Task body)
    {
        if (body.IsCompletedSuccessfully)
        {
            Complete(((Task<T>)body).Result);
        }
        else
        {
            Fail(Unwrap(body));
        }
    }

    /// <summary>The awaiter of <c>await handle</c>: the value, once the task ended.</summary>
    public readonly struct ValueAwaiter : ICriticalNotifyCompletion
    {
        private readonly JoinHandle<T> _handle;

        internal ValueAwaiter(JoinHandle<T> handle) => _handle = handle;

        /// <summary>True once the task ended.</summary>
        public bool IsCompleted => _handle.IsEnded;

        /// <summary>The value; throws <see cref="TaskFailedException"/> when the task failed or was killed.</summary>
        /// <returns>The task's value.</returns>
        public T GetResult()
        {
            _handle.WaitForAwaiter();
            return _handle.AsValueResult().Unwrap();
        }

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => new JoinAwaiter(_handle).OnCompleted(continuation);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation) => new JoinAwaiter(_handle).UnsafeOnCompleted(continuation);
    }
}
