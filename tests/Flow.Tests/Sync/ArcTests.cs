using Flow.Tests.Futures;
using static Flow.Tasks;

namespace Flow.Tests.Sync;

/// <summary>
/// An arc shares one value between tasks by handle: cloning copies the handle, each handle is
/// disposed once, and the last dispose disposes the value, exactly once.
/// </summary>
public class ArcTests
{
    [Fact]
    public void New_OneHandle_ValueAndGetAreTheValue()
    {
        var value = new List<int> { 1, 2, 3 };

        using Arc<List<int>> arc = Arc.New(value);

        Assert.Equal(1, arc.RefCount);
        Assert.Same(value, arc.Value);
        Assert.Same(value, arc.Get());
    }

    [Fact]
    public void Clone_CopiesTheHandleNotTheData_AndCountsIt()
    {
        using Arc<int[]> arc = Arc.New(Enumerable.Range(1, 2).ToArray());

        using Arc<int[]> clone = arc.Clone();
        using Arc<int[]> cloneOfClone = clone.Clone();

        Assert.NotSame(arc, clone);
        Assert.Same(arc.Value, clone.Value);
        Assert.Same(arc.Value, cloneOfClone.Get());
        Assert.Equal(3, arc.RefCount);
        Assert.Equal(3, cloneOfClone.RefCount);
    }

    [Fact]
    public void Dispose_EachHandleCountsOnce_SecondDisposeIsANoOp()
    {
        var value = new CountingDisposable();
        Arc<CountingDisposable> arc = Arc.New(value);
        Arc<CountingDisposable> clone = arc.Clone();

        clone.Dispose();
        clone.Dispose();
        clone.Dispose();

        Assert.Equal(1, arc.RefCount);
        Assert.Equal(0, value.Disposals);
        arc.Dispose();
        arc.Dispose();
        Assert.Equal(0, arc.RefCount);
        Assert.Equal(1, value.Disposals);
    }

    [Fact]
    public void Dispose_LastHandle_DisposesTheValueExactlyOnce_WhicheverHandleIsLast()
    {
        var value = new CountingDisposable();
        Arc<CountingDisposable> first = Arc.New(value);
        Arc<CountingDisposable>[] clones = [.. Enumerable.Range(0, 5).Select(_ => first.Clone())];

        first.Dispose();
        foreach (Arc<CountingDisposable> clone in clones.Take(4))
        {
            clone.Dispose();
            Assert.Equal(0, value.Disposals);
            Assert.False(clones[4].Value.IsDisposed);
        }

        clones[4].Dispose();

        Assert.Equal(1, value.Disposals);
        foreach (Arc<CountingDisposable> handle in clones.Prepend(first))
        {
            handle.Dispose();
        }

        Assert.Equal(1, value.Disposals);
    }

    [Fact]
    public void Dispose_NonDisposableValue_JustDropsTheHandle()
    {
        Arc<string> arc = Arc.New("text");

        arc.Dispose();

        Assert.Equal(0, arc.RefCount);
    }

    [Fact]
    public void DisposedHandle_ValueGetAndCloneThrowObjectDisposed_WhileOtherClonesLive()
    {
        var value = new CountingDisposable();
        using Arc<CountingDisposable> live = Arc.New(value);
        Arc<CountingDisposable> disposed = live.Clone();

        disposed.Dispose();

        Assert.Throws<ObjectDisposedException>(() => disposed.Value);
        Assert.Throws<ObjectDisposedException>(() => disposed.Get());
        Assert.Throws<ObjectDisposedException>(() => disposed.Clone());
        Assert.Equal(1, live.RefCount);
        Assert.Same(value, live.Value);
        Assert.Equal(0, value.Disposals);
        Assert.Contains("disposed", disposed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_AfterEveryHandleWasDisposed_ThrowsObjectDisposed_AndDoesNotRevive()
    {
        var value = new CountingDisposable();
        Arc<CountingDisposable> arc = Arc.New(value);
        Arc<CountingDisposable> clone = arc.Clone();
        arc.Dispose();
        clone.Dispose();

        Assert.Throws<ObjectDisposedException>(() => arc.Clone());
        Assert.Throws<ObjectDisposedException>(() => clone.Clone());
        Assert.Equal(0, arc.RefCount);
        Assert.Equal(1, value.Disposals);
    }

    [Fact]
    public async Task CloneAndDispose_FromManyTasksAtOnce_DisposesTheValueExactlyOnce()
    {
        const int TaskCount = 8;
        const int Rounds = 2_000;

        // Threads of their own, so the barrier that releases the tasks together needs no thread-pool growth.
        using Scheduler threads = Scheduler.Dedicated(TaskCount, "arc-race");
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var value = new CountingDisposable();
            Arc<CountingDisposable> root = Arc.New(value);
            Arc<CountingDisposable>[] handles = [.. Enumerable.Range(0, TaskCount).Select(_ => root.Clone())];
            root.Dispose();
            using var start = new Barrier(TaskCount);
            JoinHandle[] tasks =
            [
                .. handles.Select(handle => Spawn(handle, h =>
                {
                    start.SignalAndWait(FuturesBounded.Timeout);
                    for (int i = 0; i < Rounds; i++)
                    {
                        using Arc<CountingDisposable> clone = h.Clone();
                        Assert.False(clone.Value.IsDisposed);
                    }

                    h.Dispose();
                }, new SpawnOptions { Scheduler = threads })),
            ];

            foreach (JoinHandle task in tasks)
            {
                (await task.JoinWithin()).Unwrap();
            }

            Assert.Equal(1, value.Disposals);
            Assert.Equal(0, root.RefCount);
        }
    }

    [Fact]
    public async Task Arc_SharedWithTasksByClone_EachReadsTheSameDataAndTheLastOneDisposesIt()
    {
        // The guide's pattern: one clone per task, moved into it, disposed by it.
        var value = new CountingDisposable();
        using (Arc<CountingDisposable> arc = Arc.New(value))
        {
            JoinHandle<int>[] tasks =
            [
                .. Enumerable.Range(0, 9).Select(i => Spawn(arc.Clone(), clone =>
                {
                    using (clone)
                    {
                        return ReferenceEquals(clone.Get(), value) ? i : -1;
                    }
                })),
            ];

            for (int i = 0; i < tasks.Length; i++)
            {
                Assert.Equal(i, (await tasks[i].JoinWithin()).Unwrap());
            }

            Assert.Equal(1, arc.RefCount);
            Assert.Equal(0, value.Disposals);
        }

        Assert.Equal(1, value.Disposals);
    }

    [Fact]
    public void ToString_ShowsValueAndRefs()
    {
        using Arc<int> arc = Arc.New(5);
        using Arc<int> clone = arc.Clone();

        Assert.Contains("5", arc.ToString(), StringComparison.Ordinal);
        Assert.Contains("2", arc.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>A value that counts how often it was disposed.</summary>
internal sealed class CountingDisposable : IDisposable
{
    private int _disposals;

    public int Disposals => Volatile.Read(ref _disposals);

    public bool IsDisposed => Disposals != 0;

    public void Dispose() => Interlocked.Increment(ref _disposals);
}
