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
/// <para><b>Context.</b> The body runs in the spawner's execution context (as with
/// <c>Task.Run</c>), so ambient values such as the current <c>Activity</c> flow into it.</para>
/// <para><b>Threading.</b> Every member is safe to call from any thread, any number of times.</para>
/// </remarks>
public abstract class JoinHandle : IThreadPoolWorkItem
{
    private static readonly ContextCallback s_runInContext = static state => ((JoinHandle)state!).RunInContext();
    private static long s_lastId;

    /// <summary>Where the body runs, and the spawner's context it runs in; dropped when the task starts.</summary>
    private (Scheduler Scheduler, ExecutionContext? Context)? _start;

    /// <summary>A <see cref="TaskState"/>; moves once from Running, in <see cref="End"/>.</summary>
    private int _state;

    /// <summary>1 once a kill was requested; set once.</summary>
    private int _killRequested;

    /// <summary>Why the task failed or was killed; written before <see cref="_state"/> leaves Running.</summary>
    private TaskFailure? _failure;

    /// <summary>The Flow wait the body is in, which <see cref="Kill"/> interrupts directly; null when none.</summary>
    private IKillable? _watching;

    /// <summary>Who waits for the end (a <see cref="CompletionSlot"/>).</summary>
    private object? _completion;

    /// <summary>What only some tasks need (kill token, monitors, relatives, scope); created on first use.</summary>
    private Extras? _extras;

    internal JoinHandle(SpawnOptions? options)
    {
        Id = new TaskId(Interlocked.Increment(ref s_lastId));
        Name = options?.Name;
        _start = (options?.Scheduler ?? Scheduler.Default, ExecutionContext.Capture());
        if (options is { Link: not LinkMode.Isolated } && Ambient.CurrentTask is { } parent)
        {
            // A link needs a Flow task on both ends; from plain code a linked child is isolated.
            EnsureExtras().LinkedParent = options.Link == LinkMode.Linked ? parent : null;
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
    public bool IsEnded => Volatile.Read(ref _state) != (int)TaskState.Running;

    /// <summary>True once the task was asked to die.</summary>
    internal bool IsKillRequested => Volatile.Read(ref _killRequested) != 0;

    /// <summary>Registers a wait of the body with this task's kill (see <see cref="KillWatch"/>).</summary>
    internal KillWatch Watch(IKillable wait)
    {
        if (Interlocked.CompareExchange(ref _watching, wait, null) is null)
        {
            // Dekker with Kill, which sets the flag and then empties the slot: one of us sees the other.
            if (IsKillRequested && Interlocked.CompareExchange(ref _watching, null, wait) == wait)
            {
                wait.OnKilled();
            }

            return new KillWatch(this, wait, default, viaToken: false);
        }

        return new KillWatch(this, wait, KillToken.UnsafeRegister(static w => ((IKillable)w!).OnKilled(), wait), viaToken: true);
    }

    /// <summary>Ends what <see cref="Watch"/> started, if the kill did not take the wait first.</summary>
    internal void Unwatch(IKillable wait) => Interlocked.CompareExchange(ref _watching, null, wait);

    /// <summary>The kill token the body observes; fires when the task is killed. Created on first use.</summary>
    internal CancellationToken KillToken
    {
        get
        {
            Extras extras = EnsureExtras();
            CancellationTokenSource? kill = Volatile.Read(ref extras.Kill);
            if (kill is null)
            {
                var created = new CancellationTokenSource();
                kill = Interlocked.CompareExchange(ref extras.Kill, created, null);
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
    internal TaskInfo Info => EnsureExtras().Info ??= new TaskInfo(this);

    /// <summary>The scope the task belongs to, if it was spawned into one.</summary>
    internal TaskScope? Scope
    {
        get => _extras?.Scope;
        set => EnsureExtras().Scope = value;
    }

    /// <summary>The failure once the task failed or was killed.</summary>
    internal TaskFailure? Failure => IsEnded ? _failure : null;

    /// <summary>True for a body that returns a Task: its current-task marker must flow across awaits.</summary>
    private protected virtual bool IsAsync => false;

    /// <summary>Starts the body on the task's scheduler.</summary>
    internal void Start() => _start!.Value.Scheduler.Start(this);

    void IThreadPoolWorkItem.Execute() => Run();

    /// <summary>Runs the body on the current thread, in the spawner's execution context.</summary>
    internal void Run()
    {
        ExecutionContext? context = _start?.Context;
        _start = null;
        if (context is null)
        {
            RunInContext();
        }
        else
        {
            ExecutionContext.Run(context, s_runInContext, this);
        }
    }

    private void RunInContext()
    {
        // A sync body marks itself in a thread static; an async one in an async local, which the
        // execution context carries across its awaits (ExecutionContext.Run restores it after).
        JoinHandle? previous = Ambient.EnterSync(IsAsync ? null : this);
        if (IsAsync)
        {
            Ambient.EnterAsync(this);
        }

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
            Ambient.EnterSync(previous);
        }
    }

    /// <summary>Runs the body; ends the task through <c>Complete</c> or <see cref="Fail"/>, now or when an async body finishes.</summary>
    private protected abstract void RunBody();

    /// <summary>Closes and disposes what the body owned (move semantics), as the task ends.</summary>
    private protected virtual void ReleaseOwned(Exception? failure)
    {
    }

    /// <summary>Waits for an async body without blocking; <see cref="OnBodyEnded"/> ends the task.</summary>
    private protected void EndWhenDone(Task body)
    {
        if (body.IsCompleted)
        {
            OnBodyEnded(body);
        }
        else
        {
            body.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => OnBodyEnded(body));
        }
    }

    /// <summary>Ends the task with the outcome of its async body.</summary>
    private protected virtual void OnBodyEnded(Task body)
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
            // The exchange orders the state before the looks at _extras below; Monitor and
            // MarkObserved order their writes before their looks at the state.
            Interlocked.Exchange(ref _state, (int)state);
            Extras? extras = Volatile.Read(ref _extras);

            // The scope records the end before any joiner or monitor hears of it, so a caller
            // that waits for one child and then lets another end sees them in that order in
            // Completions().
            extras?.Scope?.OnChildEnded(this);
            if (extras is not null)
            {
                NotifyMonitors(extras);
            }

            if (state == TaskState.Failed && (extras is null || Volatile.Read(ref extras.Observed) == 0))
            {
                WatchUnobserved(failure!);
            }

            if (state != TaskState.Completed)
            {
                PropagateDeath();
            }

            CompletionSlot.Signal(ref _completion);
        }
    }

    private void WatchUnobserved(TaskFailure failure)
    {
        Extras extras = EnsureExtras();
        Volatile.Write(ref extras.Sentinel, new UnobservedFailureSentinel(failure));

        // Dekker with MarkObserved: it writes Observed then reads Sentinel; we the reverse.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref extras.Observed) != 0)
        {
            extras.Sentinel?.Suppress();
        }
    }

    /// <summary>Records that somebody took notice of the outcome, so it is not reported as unobserved.</summary>
    internal void MarkObserved()
    {
        Extras extras = EnsureExtras();
        if (Interlocked.Exchange(ref extras.Observed, 1) == 0)
        {
            Volatile.Read(ref extras.Sentinel)?.Suppress();
        }
    }

    /// <summary>Completes when the task ended; never faults.</summary>
    internal Task Ended => CompletionSlot.AsTask(ref _completion);

    /// <summary>Registers an internal continuation; it runs (through the runtime) once the task ended.</summary>
    internal void OnEnded(Action continuation) => CompletionSlot.OnDone(ref _completion, continuation);

    /// <summary>
    /// What an awaiter's GetResult does before reading the outcome: nothing once the task ended;
    /// when its continuation was run by the awaiting task's kill, throw; when called without an
    /// await, block until the end.
    /// </summary>
    internal void WaitForAwaiter()
    {
        if (!IsEnded)
        {
            Ambient.ThrowIfKilled(Ambient.CurrentTask);
            WaitEnded();
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
    public Task<Result> JoinAsync(CancellationToken cancellationToken = default) =>
        IsEnded ? Task.FromResult(AsResult()) : JoinWaitingAsync(cancellationToken);

    private async Task<Result> JoinWaitingAsync(CancellationToken cancellationToken)
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

        return AsResult();
    }

    /// <summary>Lets <c>await handle</c> wait for the task; throws <see cref="TaskFailedException"/> when it failed or was killed.</summary>
    /// <returns>The awaiter.</returns>
    public JoinAwaiter GetAwaiter() => new(this);

    /// <summary>
    /// Kills the task: fires its kill token, so its next Flow operation that would wait throws
    /// <see cref="TaskKilledException"/>. Linked and supervised relatives are killed too. Does
    /// nothing to a task that already ended, except to pass the kill on to its relatives.
    /// </summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killRequested, 1) == 0)
        {
            Interlocked.Exchange(ref _watching, null)?.OnKilled();
            Volatile.Read(ref _extras)?.Kill?.Cancel();
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
        Extras extras = EnsureExtras();
        bool ended;
        lock (extras.Gate)
        {
            // A task that ended before it had extras skipped NotifyMonitors, so MonitorsNotified
            // alone would leave this monitor waiting for ever: look at the state too. EnsureExtras'
            // fence orders the extras before this look; End orders its state before its look at
            // the extras, so one of the two sides sends the exit.
            ended = extras.MonitorsNotified || IsEnded;
            if (!ended)
            {
                (extras.Monitors ??= []).Add(chan);
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
        if (_failure is null)
        {
            return Result.Ok;
        }

        MarkObserved();
        return Result.Err(_failure);
    }

    /// <summary>Blocks until the task ended; a kill of the calling task interrupts it.</summary>
    private protected void WaitEnded() => KillableWait.Wait(Ended);

    /// <summary>Waits asynchronously until the task ended; the caller's token or the kill of the calling task interrupts it.</summary>
    private protected async Task WaitEndedAsync(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            // The common join: the completion slot's own awaiter, which also wakes on the calling
            // task's kill, instead of a task completion source and one more hop.
            await new EndAwaitable(this);
            return;
        }

        await KillableWait.WaitAsync(Ended, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Awaits the end of a task without reading its outcome (so without throwing for a failure).</summary>
    private protected readonly struct EndAwaitable(JoinHandle handle) : ICriticalNotifyCompletion
    {
        public EndAwaitable GetAwaiter() => this;

        public bool IsCompleted => handle.IsEnded;

        public void GetResult() => handle.WaitForAwaiter();

        public void OnCompleted(Action continuation) => CompletionSlot.OnDoneFromAwaiter(ref handle._completion, continuation, flowExecutionContext: true);

        public void UnsafeOnCompleted(Action continuation) => CompletionSlot.OnDoneFromAwaiter(ref handle._completion, continuation, flowExecutionContext: false);
    }

    // ---------------------------------------------------------------------------------------
    // Extras: monitors, the relatives a death propagates to, the kill token, the scope.

    private Extras EnsureExtras()
    {
        Extras? extras = Volatile.Read(ref _extras);
        if (extras is null)
        {
            var created = new Extras();
            extras = Interlocked.CompareExchange(ref _extras, created, null) ?? created;
        }

        return extras;
    }

    private void NotifyMonitors(Extras extras)
    {
        List<Chan<TaskExit>>? monitors;
        lock (extras.Gate)
        {
            extras.MonitorsNotified = true;
            monitors = extras.Monitors;
            extras.Monitors = null;
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
        Extras extras = EnsureExtras();
        bool dead;
        lock (extras.Gate)
        {
            dead = extras.Dead;
            if (!dead)
            {
                (extras.Dependents ??= []).Add(child);
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
        Extras extras = EnsureExtras();
        List<JoinHandle>? dependents;
        lock (extras.Gate)
        {
            if (extras.Dead)
            {
                return;
            }

            extras.Dead = true;
            dependents = extras.Dependents;
            extras.Dependents = null;
        }

        if (dependents is not null)
        {
            foreach (JoinHandle child in dependents)
            {
                child.Kill();
            }
        }

        extras.LinkedParent?.Kill();
    }

    /// <summary>The part of a task that most tasks never need, allocated on first use.</summary>
    private sealed class Extras
    {
        public readonly Lock Gate = new();

        /// <summary>The kill switch behind <see cref="KillToken"/>; created on first use.</summary>
        public CancellationTokenSource? Kill;

        /// <summary>The spawning task, when this one is linked to it (for up-propagation). Set at spawn.</summary>
        public JoinHandle? LinkedParent;

        /// <summary>The scope the task was spawned into. Set at spawn.</summary>
        public TaskScope? Scope;

        public TaskInfo? Info;

        /// <summary>1 once anybody observed the outcome (join, await, try, monitor, scope).</summary>
        public int Observed;

        /// <summary>Reports the failure if the handle dies unobserved; only for failed tasks.</summary>
        public UnobservedFailureSentinel? Sentinel;

        /// <summary>Ports waiting for the exit notice; guarded by <see cref="Gate"/>.</summary>
        public List<Chan<TaskExit>>? Monitors;

        /// <summary>True once the exit notice went out; guarded by <see cref="Gate"/>.</summary>
        public bool MonitorsNotified;

        /// <summary>Linked and supervised children; guarded by <see cref="Gate"/>.</summary>
        public List<JoinHandle>? Dependents;

        /// <summary>True once this task's death was passed on; guarded by <see cref="Gate"/>.</summary>
        public bool Dead;
    }

    /// <summary>The awaiter of <c>await handle</c>: resumes through Flow's runtime once the task ended.</summary>
    public readonly struct JoinAwaiter : ICriticalNotifyCompletion
    {
        private readonly JoinHandle _handle;

        internal JoinAwaiter(JoinHandle handle) => _handle = handle;

        /// <summary>True once the task ended.</summary>
        public bool IsCompleted => _handle.IsEnded;

        /// <summary>Returns when the task completed; throws <see cref="TaskFailedException"/> when it failed or was killed. Blocks if called before the task ended.</summary>
        public void GetResult()
        {
            _handle.WaitForAwaiter();
            _handle.AsResult().Unwrap();
        }

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => CompletionSlot.OnDoneFromAwaiter(ref _handle._completion, continuation, flowExecutionContext: true);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation) => CompletionSlot.OnDoneFromAwaiter(ref _handle._completion, continuation, flowExecutionContext: false);
    }
}
