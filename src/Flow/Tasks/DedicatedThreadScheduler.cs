using System.Collections.Concurrent;

namespace Flow;

/// <summary>A task scheduler with threads of its own: bodies that block do not take thread-pool threads.</summary>
internal sealed class DedicatedThreadScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = [];
    private readonly Thread[] _threads;

    public DedicatedThreadScheduler(int threads, string name)
    {
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"{name}-{i}" };
            _threads[i].Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    private void Work()
    {
        foreach (Task task in _queue.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }

    protected override void QueueTask(Task task)
    {
        try
        {
            _queue.Add(task);
        }
        catch (InvalidOperationException) when (_queue.IsAddingCompleted)
        {
            // Disposed: Scheduler.Start refuses new spawns, but a body that was already running
            // still resumes after its awaits. Our threads are ending, so it resumes on the pool;
            // throwing here would surface as an unhandled TaskSchedulerException on the thread
            // that completed the awaited operation, and end the process.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Scheduler.TryExecuteTask(s.Task), (Scheduler: this, Task: task), preferLocal: false);
        }
    }

    // Inline only on our own threads, so a body never runs on a thread-pool thread it would block.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Array.IndexOf(_threads, Thread.CurrentThread) >= 0 && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    public void Dispose() => _queue.CompleteAdding();
}
