namespace Flow;

/// <summary>
/// Where task bodies run: the thread pool, the thread pool with a bound on how many bodies run at
/// once, or threads of its own for bodies that block.
/// </summary>
/// <remarks>
/// A scheduler is also a Dataflow and TPL scheduler (<see cref="AsTaskScheduler"/>), and carries
/// the clock that timeouts use (<see cref="TimeProvider"/>). Schedulers made by
/// <see cref="WithParallelism"/> and <see cref="Dedicated"/> own resources: dispose them when no
/// task will be spawned on them again; disposing <see cref="Default"/> does nothing.
/// </remarks>
public sealed class Scheduler : IDisposable
{
    private readonly TaskScheduler? _taskScheduler;
    private readonly IDisposable? _owned;
    private int _disposed;

    private Scheduler(string name, int maxParallelism, TaskScheduler? taskScheduler, IDisposable? owned, TimeProvider timeProvider)
    {
        Name = name;
        MaxParallelism = maxParallelism;
        _taskScheduler = taskScheduler;
        _owned = owned;
        TimeProvider = timeProvider;
    }

    /// <summary>The thread pool; Flow's own work items go through its runtime.</summary>
    public static Scheduler Default { get; } = new("default", Environment.ProcessorCount, null, null, TimeProvider.System);

    /// <summary>A name for diagnostics.</summary>
    public string Name { get; }

    /// <summary>The most bodies that run at once.</summary>
    public int MaxParallelism { get; }

    /// <summary>The clock for timeouts of work on this scheduler.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// A scheduler on the thread pool that runs at most <paramref name="maxParallelism"/> bodies at
    /// once. An async body holds a slot only while it runs: awaiting frees it.
    /// </summary>
    /// <param name="maxParallelism">At least 1.</param>
    /// <returns>The scheduler; dispose it when done.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxParallelism"/> is less than 1.</exception>
    public static Scheduler WithParallelism(int maxParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        var pair = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxParallelism);
        return new Scheduler($"parallelism-{maxParallelism}", maxParallelism, pair.ConcurrentScheduler, NothingToRelease.Instance, TimeProvider.System);
    }

    /// <summary>
    /// A scheduler with <paramref name="threads"/> threads of its own, named
    /// <c><paramref name="name"/>-0</c>, <c>-1</c>, …, for bodies that block (a <c>Recv()</c> loop)
    /// without starving the thread pool.
    /// </summary>
    /// <param name="threads">At least 1.</param>
    /// <param name="name">The threads' name prefix.</param>
    /// <returns>The scheduler; dispose it to let its threads end once their queue is empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public static Scheduler Dedicated(int threads, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentNullException.ThrowIfNull(name);
        var scheduler = new DedicatedThreadScheduler(threads, name);
        return new Scheduler(name, threads, scheduler, scheduler, TimeProvider.System);
    }

    /// <summary>The same scheduler with another clock for its timeouts (a fake clock in tests).</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>A scheduler sharing this one's threads; disposing either disposes the threads.</returns>
    public Scheduler WithTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new Scheduler(Name, MaxParallelism, _taskScheduler, _owned, timeProvider);
    }

    /// <summary>This scheduler as a <see cref="TaskScheduler"/>, for Dataflow blocks and TPL tasks.</summary>
    /// <returns>The task scheduler; <see cref="TaskScheduler.Default"/> for <see cref="Default"/>.</returns>
    public TaskScheduler AsTaskScheduler() => _taskScheduler ?? TaskScheduler.Default;

    /// <summary>Starts a task's body here.</summary>
    internal void Start(JoinHandle task)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(Name, $"Spawn on the disposed scheduler '{Name}'. Spawn on a live scheduler, or dispose it only after its last spawn.");
        }

        if (_taskScheduler is null)
        {
            FlowRuntime.Current.Start(task);
        }
        else
        {
            _ = Task.Factory.StartNew(static s => ((JoinHandle)s!).Run(), task, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _taskScheduler);
        }
    }

    /// <summary>Stops accepting spawns and releases the threads. Does nothing for <see cref="Default"/>.</summary>
    public void Dispose()
    {
        if (_owned is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _owned.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Scheduler({Name}, max {MaxParallelism})";

    /// <summary>
    /// What a <see cref="WithParallelism"/> scheduler releases: nothing, since the pair owns no
    /// threads. Completing the pair would make it refuse the continuations of bodies still
    /// awaiting (an unhandled TaskSchedulerException on the resuming thread, which ends the
    /// process); disposal only stops new spawns (<see cref="Start"/>).
    /// </summary>
    private sealed class NothingToRelease : IDisposable
    {
        public static readonly NothingToRelease Instance = new();

        public void Dispose()
        {
        }
    }
}
