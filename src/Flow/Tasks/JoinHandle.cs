using System.Runtime.CompilerServices;

namespace Flow;

/// <summary>
/// A spawned Flow task: its id and name, its status, a way to wait for it (<see cref="Join"/>,
/// <see cref="JoinAsync"/>, <c>await</c>), to be told when it ends (<see cref="Monitor"/>), and to
/// kill it (<see cref="Kill"/>).
/// </summary>
/// <remarks>
/// <para><b>Failure.</b> A body that throws ends its own task only. <see cref="Join"/> returns the
/// failure as an Err <see cref="Result"/>; <c>await</c> throws <see cref="TaskFailedException"/>.
/// A failure nobody observes is reported once through <see cref="Tasks.UnobservedFailure"/>.</para>
/// <para><b>Killing</b> is cooperative: it fires the task's kill token, and the task's next Flow
/// operation that would wait throws <see cref="TaskKilledException"/>. A killed task ends
/// <see cref="TaskState.Killed"/>; linked and supervised relatives die with it.</para>
/// <para><b>Threading.</b> Every member is safe to call from any thread, any number of times.</para>
/// </remarks>
public abstract class JoinHandle : IThreadPoolWorkItem
{
    private static readonly object s_ended = new();
    private static readonly ContextCallback s_runInContext = static state => ((JoinHandle)state!).RunInContext();
    private static long s_lastId;

    /// <summary>The scheduler the body runs on.</summary>
    private readonly Scheduler _scheduler;

    /// <summary>The execution context of the spawner, flowed into the body as <c>Task.Run</c> does; null when flow is suppressed.</summary>
    private readonly ExecutionContext? _context;

    /// <summary>The spawning Flow task, kept only when this task is linked to it (for up-propagation).</summary>
    private readonly JoinHandle? _linkedParent;

    /// <summary>A <see cref="TaskState"/>; moves once from Running, by <see cref="End"/>.</summary>
    private int _state;

    /// <summary>1 once a kill was requested; set once.</summary>
    private int _killRequested;

    /// <summary>The kill switch behind <see cref="KillToken"/>; created on first use.</summary>
    private CancellationTokenSource? _kill;

    /// <summary>Why the task failed or was killed; written before <see cref="_state"/> leaves Running.</summary>
    private TaskFailure? _failure;

    /// <summary>Null while nobody waits; a <see cref="TaskCompletionSource"/> once someone does; <see cref="s_ended"/> after the end.</summary>
    private object? _completion;

    /// <summary>Monitors and linked relatives; created on first use.</summary>
    private Relations? _relations;

    /// <summary>1 once anybody observed the outcome (join, await, try, monitor, scope).</summary>
    private int _observed;

    /// <summary>Reports the failure if the handle dies unobserved; only for failed tasks.</summary>
    private UnobservedFailureSentinel? _sentinel;

    private TaskInfo? _info;

    internal JoinHandle(SpawnOptions? options)
    {
        Id = new TaskId(Interlocked.Increment(ref s_lastId));
        Name = options?.Name;
        _scheduler = options?.Scheduler ?? Scheduler.Default;
        _context = ExecutionContext.Capture();
        LinkMode link = options?.Link ?? LinkMode.Isolated;
        JoinHandle? parent = link == LinkMode.Isolated ? null : Ambient.CurrentTask;
        if (parent is not null)
        {
            // A link needs a Flow task on both ends; from plain code a linked child is isolated.
            _linkedParent = link == LinkMode.Linked ? parent : null;
            parent.AddDependent(this);
        }
    }

    /// <summary>The task's id, unique in the process.</summary>
    public TaskId Id { get; }

    /// <summary>The name given in <see cref="SpawnOptions.Name"/>, or null.</summary>
    public string? Name { get; }

    /// <summary>Where the task is in its life. Running until the body ends.</summary>
    public TaskState Status => (TaskState)Volatile.Read(ref _state);

    /// <summary>True once the task ended (completed, failed or killed).</summary>
    public bool IsEnded => Status != TaskState.Running;

    /// <summary>The kill token the body observes; fires when the task is killed.</summary>
    internal CancellationToken KillToken
    {
        get
        {
            CancellationTokenSource? kill = Volatile.Read(ref _kill);
            if (kill is null)
            {
                var created = new CancellationTokenSource();
                kill = Interlocked.CompareExchange(ref _kill, created, null);
                if (kill is null)
                {
                    kill = created;

                    // A kill requested before the source existed had nothing to cancel.
                    if (Volatile.Read(ref _killRequested) != 0)
                    {
                        kill.Cancel();
                    }
                }
                else
                {
                    created.Dispose();
                }
            }

            return kill.Token;
        }
    }

    /// <summary>What <see cref="Tasks.Current"/> returns inside this task.</summary>
    internal TaskInfo Info => _info ??= new TaskInfo(this);

    /// <summary>The scope the task belongs to, if it was spawned into one.</summary>
    internal TaskScope? Scope { get; set; }

    /// <summary>The failure once the task failed or was killed.</summary>
    internal TaskFailure? Failure => IsEnded ? _failure : null;

    /// <summary>Starts the body on the task's scheduler.</summary>
    internal void Start() => _scheduler.Start(this);

    void IThreadPoolWorkItem.Execute() => Run();

    /// <summary>Runs the body on the current thread, in the spawner's execution context.</summary>
    internal void Run()
    {
        if (_context is null)
        {
            RunInContext();
        }
        else
        {
            ExecutionContext.Run(_context, s_runInContext, this);
        }
    }

    private void RunInContext()
    {
        JoinHandle? previous = Ambient.CurrentTask;
        Ambient.CurrentTask = this;
        try
        {
            if (Volatile.Read(ref _killRequested) != 0)
            {
                // Killed before it started: the body never runs.
                Fail(new TaskKilledException());
                return;
            }

            RunBody();
        }
        finally
        {
            Ambient.CurrentTask = previous;
        }
    }

    /// <summary>Runs the body; ends the task through <see cref="Complete"/> or <see cref="Fail"/>, now or when an async body finishes.</summary>
    private protected abstract void RunBody();

    /// <summary>Closes and disposes what the body owned (move semantics), as the task ends.</summary>
    private protected virtual void ReleaseOwned(Exception? failure)
    {
    }

    /// <summary>Waits for an async body and ends the task with its outcome.</summary>
    private protected static void EndWhenDone(Task body, Action<Task> onDone)
    {
        if (body.IsCompleted)
        {
            onDone(body);
        }
        else
        {
            body.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => onDone(body));
        }
    }

    /// <summary>Ends an async body that returned no value.</summary>
    private protected void EndAsync(Task body)
    {
        if (body.IsCompletedSuccessfully)
        {
            Complete();
        }
        else
        {
            Fail(Unwrap(body));
        }
    }

    /// <summary>The exception a faulted or cancelled task carries, unwrapped.</summary>
    private protected static Exception Unwrap(Task body) =>
        body.IsCanceled
            ? new OperationCanceledException("The task's body was cancelled.")
            : body.Exception!.InnerExceptions.Count == 1 ? body.Exception.InnerException! : body.Exception;

    /// <summary>Ends the task as completed (or killed, if a kill came first).</summary>
    private protected void Complete()
    {
        if (Volatile.Read(ref _killRequested) != 0)
        {
            Fail(new TaskKilledException());
        }
        else
        {
            End(TaskState.Completed, null);
        }
    }

    /// <summary>Ends the task as failed, or as killed when a kill was requested or the body let one escape.</summary>
    private protected void Fail(Exception exception)
    {
        bool killed = exception is TaskKilledException || Volatile.Read(ref _killRequested) != 0;
        if (killed && exception is not TaskKilledException)
        {
            exception = new TaskKilledException("The task was killed.", exception);
        }

        End(killed ? TaskState.Killed : TaskState.Failed, new TaskFailure(Id, Name, exception));
    }

    private void End(TaskState state, TaskFailure? failure)
    {
        _failure = failure;

        // What the task owned ends before anyone learns that the task did, so a joiner that then
        // receives from the task's chans sees them closed.
        try
        {
            ReleaseOwned(failure?.Exception);
        }
        finally
        {
            // The exchange orders the state before the looks at _relations and _observed below;
            // Monitor and MarkObserved order their writes before their looks at the state.
            Interlocked.Exchange(ref _state, (int)state);

            // The scope records the end before any joiner or monitor hears of it, so a caller
            // that waits for one child and then lets another end sees them in that order in
            // Completions().
            Scope?.OnChildEnded(this);
            NotifyMonitors();
            if (state == TaskState.Failed)
            {
                if (Volatile.Read(ref _observed) == 0)
                {
                    Volatile.Write(ref _sentinel, new UnobservedFailureSentinel(failure!));
                    if (Volatile.Read(ref _observed) != 0)
                    {
                        _sentinel?.Suppress();
                    }
                }
            }

            if (state != TaskState.Completed)
            {
                PropagateDeath();
            }

            if (Interlocked.Exchange(ref _completion, s_ended) is TaskCompletionSource waiting)
            {
                waiting.TrySetResult();
            }
        }
    }

    /// <summary>Records that somebody took notice of the outcome, so it is not reported as unobserved.</summary>
    internal void MarkObserved()
    {
        if (Interlocked.Exchange(ref _observed, 1) == 0)
        {
            Volatile.Read(ref _sentinel)?.Suppress();
        }
    }

    /// <summary>Completes when the task ended; never faults.</summary>
    internal Task Ended
    {
        get
        {
            object? completion = Volatile.Read(ref _completion);
            if (completion == s_ended)
            {
                return Task.CompletedTask;
            }

            if (completion is null)
            {
                var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                completion = Interlocked.CompareExchange(ref _completion, created, null) ?? created;
                if (completion == s_ended)
                {
                    return Task.CompletedTask;
                }
            }

            return ((TaskCompletionSource)completion).Task;
        }
    }

    /// <summary>Blocks the calling thread until the task ends.</summary>
    /// <returns>Ok, or Err with the failure (a <see cref="TaskKilledException"/> when it was killed).</returns>
    /// <exception cref="TaskKilledException">The calling Flow task was killed while waiting.</exception>
    public Result Join()
    {
        WaitEnded();
        return AsResult();
    }

    /// <summary>Waits for the task to end without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops the wait (not the task).</param>
    /// <returns>Ok, or Err with the failure.</returns>
    public async Task<Result> JoinAsync(CancellationToken cancellationToken = default)
    {
        await WaitEndedAsync(cancellationToken).ConfigureAwait(false);
        return AsResult();
    }

    /// <summary>Lets <c>await handle</c> wait for the task; throws <see cref="TaskFailedException"/> when it failed or was killed.</summary>
    /// <returns>The awaiter.</returns>
    public TaskAwaiter GetAwaiter() => AwaitAsync().GetAwaiter();

    private async Task AwaitAsync()
    {
        await WaitEndedAsync(default).ConfigureAwait(false);
        AsResult().Unwrap();
    }

    /// <summary>
    /// Kills the task: fires its kill token, so its next Flow operation that would wait throws
    /// <see cref="TaskKilledException"/>. Linked and supervised relatives are killed too. Does
    /// nothing to a task that already ended, except to pass the kill on to its relatives.
    /// </summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killRequested, 1) == 0)
        {
            Volatile.Read(ref _kill)?.Cancel();
        }

        // The task will die (or has ended): its relatives die now, not when it gets round to it.
        PropagateDeath();
    }

    /// <summary>A port that receives one <see cref="TaskExit"/> when the task ends, at once if it already has.</summary>
    /// <returns>A new port for this caller; each call gets its own.</returns>
    public Port<TaskExit> Monitor()
    {
        MarkObserved();
        var (port, chan) = Chan.New<TaskExit>();
        Relations relations = EnsureRelations();
        bool ended;
        lock (relations.Gate)
        {
            // A task that ended before it had any relations skipped NotifyMonitors, so
            // MonitorsNotified alone would leave this monitor waiting for ever: look at the state
            // too. EnsureRelations' fence orders the relations before this look; End orders its
            // state before its look at the relations, so one of the two sides sends the exit.
            ended = relations.MonitorsNotified || IsEnded;
            if (!ended)
            {
                (relations.Monitors ??= []).Add(chan);
            }
        }

        if (ended)
        {
            chan.Send(Exit);
            chan.Close();
        }

        return port;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name ?? Id.ToString()} ({Status})";

    private TaskExit Exit => new(Id, Name, Status, _failure);

    private protected Result AsResult()
    {
        MarkObserved();
        return _failure is null ? Result.Ok : Result.Err(_failure);
    }

    /// <summary>Blocks until the task ended, observing the caller's kill token.</summary>
    private protected void WaitEnded()
    {
        if (IsEnded)
        {
            return;
        }

        CancellationToken kill = Ambient.KillToken;
        try
        {
            Ended.Wait(kill);
        }
        catch (OperationCanceledException) when (kill.IsCancellationRequested)
        {
            throw new TaskKilledException();
        }
    }

    /// <summary>Waits asynchronously until the task ended, observing the caller's token and kill token.</summary>
    private protected async Task WaitEndedAsync(CancellationToken cancellationToken)
    {
        if (IsEnded)
        {
            return;
        }

        CancellationToken kill = Ambient.KillToken;
        if (!kill.CanBeCanceled)
        {
            await Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, kill);
        try
        {
            await Ended.WaitAsync(both.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (kill.IsCancellationRequested)
        {
            throw new TaskKilledException();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Relations: monitors, and the relatives a death propagates to.

    private Relations EnsureRelations()
    {
        Relations? relations = Volatile.Read(ref _relations);
        if (relations is null)
        {
            var created = new Relations();
            relations = Interlocked.CompareExchange(ref _relations, created, null) ?? created;
        }

        return relations;
    }

    private void NotifyMonitors()
    {
        Relations? relations = Volatile.Read(ref _relations);
        if (relations is null)
        {
            return;
        }

        List<Chan<TaskExit>>? monitors;
        lock (relations.Gate)
        {
            relations.MonitorsNotified = true;
            monitors = relations.Monitors;
            relations.Monitors = null;
        }

        if (monitors is not null)
        {
            TaskExit exit = Exit;
            foreach (Chan<TaskExit> monitor in monitors)
            {
                monitor.TrySend(exit);
                monitor.Close();
            }
        }
    }

    /// <summary>Records a linked or supervised child, which dies when this task dies.</summary>
    private void AddDependent(JoinHandle child)
    {
        Relations relations = EnsureRelations();
        bool dead;
        lock (relations.Gate)
        {
            dead = relations.Dead;
            if (!dead)
            {
                (relations.Dependents ??= []).Add(child);
            }
        }

        if (dead)
        {
            child.Kill();
        }
    }

    /// <summary>
    /// Passes this task's death on, once: to every linked or supervised child (even after this
    /// task ended, so a supervised grandchild dies when the root fails after the middle exited),
    /// and to the parent when linked.
    /// </summary>
    private void PropagateDeath()
    {
        Relations relations = EnsureRelations();
        List<JoinHandle>? dependents;
        lock (relations.Gate)
        {
            if (relations.Dead)
            {
                return;
            }

            relations.Dead = true;
            dependents = relations.Dependents;
            relations.Dependents = null;
        }

        if (dependents is not null)
        {
            foreach (JoinHandle child in dependents)
            {
                child.Kill();
            }
        }

        _linkedParent?.Kill();
    }

    /// <summary>What the rarely used relations of a task share one lock for.</summary>
    private sealed class Relations
    {
        public readonly Lock Gate = new();

        /// <summary>Ports waiting for the exit notice; guarded by <see cref="Gate"/>.</summary>
        public List<Chan<TaskExit>>? Monitors;

        /// <summary>True once the exit notice went out; guarded by <see cref="Gate"/>.</summary>
        public bool MonitorsNotified;

        /// <summary>Linked and supervised children; guarded by <see cref="Gate"/>.</summary>
        public List<JoinHandle>? Dependents;

        /// <summary>True once this task's death was passed on; guarded by <see cref="Gate"/>.</summary>
        public bool Dead;
    }
}
