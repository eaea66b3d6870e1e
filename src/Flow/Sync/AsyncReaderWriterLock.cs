namespace Flow;

/// <summary>
/// A reader-writer lock that can be waited for synchronously or asynchronously: many readers at
/// once, or one writer. Neither side starves: a waiting writer stops new readers from entering,
/// and a leaving writer lets every reader that queued behind it in before the next writer.
/// </summary>
/// <remarks>All state is guarded by <see cref="_gate"/>; waiters are woken after it is released.</remarks>
internal sealed class AsyncReaderWriterLock
{
    private readonly Lock _gate = new();

    /// <summary>Readers waiting for the writers ahead of them; guarded by <see cref="_gate"/>.</summary>
    private readonly Queue<TaskCompletionSource> _waitingReaders = new();

    /// <summary>Writers waiting, in arrival order; guarded by <see cref="_gate"/>.</summary>
    private readonly Queue<TaskCompletionSource> _waitingWriters = new();

    /// <summary>Readers inside; guarded by <see cref="_gate"/>.</summary>
    private int _readers;

    /// <summary>True while a writer is inside; guarded by <see cref="_gate"/>.</summary>
    private bool _writer;

    public void EnterRead() => EnterReadAsync().AsTask().GetAwaiter().GetResult();

    public ValueTask EnterReadAsync()
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (!_writer && _waitingWriters.Count == 0)
            {
                _readers++;
                return default;
            }

            waiter = NewWaiter();
            _waitingReaders.Enqueue(waiter);
        }

        return new ValueTask(waiter.Task);
    }

    public void ExitRead()
    {
        TaskCompletionSource? next = null;
        lock (_gate)
        {
            if (--_readers == 0 && _waitingWriters.Count > 0)
            {
                next = _waitingWriters.Dequeue();
                _writer = true;
            }
        }

        next?.TrySetResult();
    }

    public void EnterWrite() => EnterWriteAsync().AsTask().GetAwaiter().GetResult();

    public ValueTask EnterWriteAsync()
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (!_writer && _readers == 0)
            {
                _writer = true;
                return default;
            }

            waiter = NewWaiter();
            _waitingWriters.Enqueue(waiter);
        }

        return new ValueTask(waiter.Task);
    }

    public void ExitWrite()
    {
        TaskCompletionSource[] readers = [];
        TaskCompletionSource? writer = null;
        lock (_gate)
        {
            _writer = false;
            if (_waitingReaders.Count > 0)
            {
                // The readers that queued behind this writer go in together, before the next writer.
                readers = [.. _waitingReaders];
                _waitingReaders.Clear();
                _readers += readers.Length;
            }
            else if (_waitingWriters.Count > 0)
            {
                writer = _waitingWriters.Dequeue();
                _writer = true;
            }
        }

        foreach (TaskCompletionSource reader in readers)
        {
            reader.TrySetResult();
        }

        writer?.TrySetResult();
    }

    private static TaskCompletionSource NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
