namespace Flow;

// The four shapes of a task body, each a handle of its own so a spawn allocates one object for
// the task. The state forms hand their state over: what it owns ends with the task (Ownership).

/// <summary>A task running an <see cref="Action"/>.</summary>
internal sealed class ActionTask(Action body, SpawnOptions? options) : JoinHandle(options)
{
    private protected override void RunBody()
    {
        try
        {
            body();
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        Complete();
    }
}

/// <summary>A task running an async body with no value.</summary>
internal sealed class AsyncActionTask(Func<Task> body, SpawnOptions? options) : JoinHandle(options)
{
    private protected override bool IsAsync => true;

    private protected override void RunBody()
    {
        Task running;
        try
        {
            running = body() ?? throw new InvalidOperationException("The task's async body returned a null Task.");
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        EndWhenDone(running);
    }
}

/// <summary>A task running an <see cref="Action{TState}"/> over state it owns.</summary>
internal sealed class ActionTask<TState>(TState state, Action<TState> body, SpawnOptions? options) : JoinHandle(options)
{
    private protected override void RunBody()
    {
        try
        {
            body(state);
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        Complete();
    }

    private protected override void ReleaseOwned(Exception? failure) => Ownership<TState>.Release(state, failure);
}

/// <summary>A task running an async body over state it owns.</summary>
internal sealed class AsyncActionTask<TState>(TState state, Func<TState, Task> body, SpawnOptions? options) : JoinHandle(options)
{
    private protected override bool IsAsync => true;

    private protected override void RunBody()
    {
        Task running;
        try
        {
            running = body(state) ?? throw new InvalidOperationException("The task's async body returned a null Task.");
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        EndWhenDone(running);
    }

    private protected override void ReleaseOwned(Exception? failure) => Ownership<TState>.Release(state, failure);
}

/// <summary>A task computing a value.</summary>
internal sealed class FuncTask<T>(Func<T> body, SpawnOptions? options) : JoinHandle<T>(options)
{
    private protected override void RunBody()
    {
        T value;
        try
        {
            value = body();
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        Complete(value);
    }
}

/// <summary>A task computing a value asynchronously.</summary>
internal sealed class AsyncFuncTask<T>(Func<Task<T>> body, SpawnOptions? options) : JoinHandle<T>(options)
{
    private protected override bool IsAsync => true;

    private protected override void RunBody()
    {
        Task<T> running;
        try
        {
            running = body() ?? throw new InvalidOperationException("The task's async body returned a null Task.");
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        EndWhenDone(running);
    }
}

/// <summary>A task computing a value from state it owns.</summary>
internal sealed class FuncTask<TState, T>(TState state, Func<TState, T> body, SpawnOptions? options) : JoinHandle<T>(options)
{
    private protected override void RunBody()
    {
        T value;
        try
        {
            value = body(state);
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        Complete(value);
    }

    private protected override void ReleaseOwned(Exception? failure) => Ownership<TState>.Release(state, failure);
}

/// <summary>A task computing a value asynchronously from state it owns.</summary>
internal sealed class AsyncFuncTask<TState, T>(TState state, Func<TState, Task<T>> body, SpawnOptions? options) : JoinHandle<T>(options)
{
    private protected override bool IsAsync => true;

    private protected override void RunBody()
    {
        Task<T> running;
        try
        {
            running = body(state) ?? throw new InvalidOperationException("The task's async body returned a null Task.");
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        EndWhenDone(running);
    }

    private protected override void ReleaseOwned(Exception? failure) => Ownership<TState>.Release(state, failure);
}
