namespace Flow;

/// <summary>
/// Made for a failed task nobody has observed yet. It lives exactly as long as the task's handle
/// (only the handle refers to it), so its finalizer runs once the handle is unreachable, and then
/// reports the failure unless it was observed meanwhile.
/// </summary>
internal sealed class UnobservedFailureSentinel(TaskFailure failure)
{
    private int _suppressed;

    [SuppressMessage("Usage", "CA1816", Justification = "Observing the failure is what ends this object's purpose; it has no Dispose.")]
    public void Suppress()
    {
        if (Interlocked.Exchange(ref _suppressed, 1) == 0)
        {
            GC.SuppressFinalize(this);
        }
    }

    ~UnobservedFailureSentinel()
    {
        if (Volatile.Read(ref _suppressed) == 0)
        {
            // Not on the finalizer thread: user handlers run on the thread pool.
            ThreadPool.UnsafeQueueUserWorkItem(static f => Tasks.RaiseUnobserved(f), failure, preferLocal: false);
        }
    }
}
