namespace Flow.Tests.Reactive;

/// <summary>
/// A small recording observer (Microsoft.Reactive.Testing is too old for System.Reactive 7): keeps
/// every notification in order, checks the Rx grammar (<c>OnNext* (OnError | OnCompleted)?</c>,
/// never two notifications at once) and lets a test wait, bounded, for a count or for the end.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class Recorder<T> : IObserver<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _values = [];
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<T>? _onNext;
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _inside;
    private string? _violation;

    /// <summary>A recorder that runs <paramref name="onNext"/> after recording each value (to block, or to throw).</summary>
    public Recorder(Action<T>? onNext = null) => _onNext = onNext;

    /// <summary>The values so far (a snapshot).</summary>
    public T[] Values
    {
        get
        {
            lock (_gate)
            {
                return [.. _values];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _values.Count;
            }
        }
    }

    /// <summary>The error, once <c>OnError</c> was called.</summary>
    public Exception? Error { get; private set; }

    public bool IsCompleted { get; private set; }

    /// <summary>Completes at <c>OnError</c> or <c>OnCompleted</c>.</summary>
    public Task Ended => _ended.Task;

    /// <summary>The first breach of the Rx grammar seen, or null.</summary>
    public string? Violation => Volatile.Read(ref _violation);

    /// <summary>The names of the threads <c>OnNext</c> ran on (null for an unnamed thread).</summary>
    public HashSet<string?> ThreadNames { get; } = [];

    public void OnNext(T value)
    {
        Enter("OnNext");
        try
        {
            lock (_gate)
            {
                if (_ended.Task.IsCompleted)
                {
                    Breach($"OnNext({value}) after the end");
                }

                _values.Add(value);
                ThreadNames.Add(Thread.CurrentThread.Name);
                _waiters.RemoveAll(w => w.Count <= _values.Count && w.Reached.TrySetResult());
            }

            _onNext?.Invoke(value);
        }
        finally
        {
            Exit();
        }
    }

    public void OnError(Exception error)
    {
        Enter("OnError");
        try
        {
            End(() => Error = error);
        }
        finally
        {
            Exit();
        }
    }

    public void OnCompleted()
    {
        Enter("OnCompleted");
        try
        {
            End(() => IsCompleted = true);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Waits, bounded, until at least <paramref name="count"/> values arrived.</summary>
    public Task WaitForCount(int count)
    {
        lock (_gate)
        {
            if (_values.Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.Within();
        }
    }

    /// <summary>Waits, bounded, for the end, and fails on a grammar breach.</summary>
    public async Task WaitForEnd()
    {
        await Ended.Within();
        AssertGrammar();
    }

    public void AssertGrammar() => Assert.True(Violation is null, Violation);

    private void End(Action record)
    {
        lock (_gate)
        {
            if (_ended.Task.IsCompleted)
            {
                Breach("a second terminal notification");
                return;
            }

            record();
        }

        _ended.TrySetResult();
    }

    private void Enter(string what)
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            Breach($"{what} overlapped another notification");
        }
    }

    private void Exit() => Interlocked.Decrement(ref _inside);

    private void Breach(string what) => Interlocked.CompareExchange(ref _violation, what, null);
}
