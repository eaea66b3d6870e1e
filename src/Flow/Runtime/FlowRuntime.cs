namespace Flow;

/// <summary>
/// The one seam through which Flow makes its scheduling decisions: resuming a waiter, choosing
/// among ready select cases, and reading the clock.
/// </summary>
/// <remarks>
/// Every continuation that Flow resumes on a caller's behalf (a pending <c>RecvAsync</c>, a
/// blocked <c>SendAsync</c>, a <c>Select</c>, a join) is handed to <c>Schedule</c>, and every
/// random choice comes from <see cref="NextRandom"/>. A deterministic test runtime can replace
/// <see cref="Current"/> to explore interleavings one thread at a time. The default costs one
/// virtual call on paths that already wait; the message fast paths never touch it.
/// </remarks>
internal abstract class FlowRuntime
{
    private static FlowRuntime s_current = ThreadPoolRuntime.Instance;

    /// <summary>The runtime in force. Tests may swap it; production code never does.</summary>
    internal static FlowRuntime Current
    {
        get => Volatile.Read(ref s_current);
        set => Volatile.Write(ref s_current, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Runs <paramref name="work"/> later, never inline on the caller's stack: a waiter being resumed.</summary>
    public abstract void Schedule(IThreadPoolWorkItem work);

    /// <summary>Starts a newly spawned task's body later, never inline on the caller's stack.</summary>
    public abstract void Start(IThreadPoolWorkItem task);

    /// <summary>Runs <paramref name="callback"/> with <paramref name="state"/> later, never inline on the caller's stack.</summary>
    public abstract void Schedule(Action<object?> callback, object? state);

    /// <summary>
    /// Resumes the continuation of a task's awaiter when the task ends. The caller is at the end of
    /// the task's last work item, so the default runs it right there (as a completed
    /// <see cref="Task"/> runs its await continuations); a test runtime queues it instead.
    /// </summary>
    public abstract void Resume(Action<object?> continuation, object? state);

    /// <summary>A uniformly distributed integer in [0, <paramref name="exclusiveMax"/>).</summary>
    public abstract int NextRandom(int exclusiveMax);

    /// <summary>The clock behind every timeout Flow applies.</summary>
    public abstract TimeProvider Time { get; }
}
