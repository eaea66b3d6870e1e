using FsCheck;
using FsCheck.Fluent;
using Flow.Properties.Futures;
using static Flow.Properties.Futures.FuturesPropertyConfig;

namespace Flow.Properties.Sync;

/// <summary>
/// The arc law: for any sequence of clones and disposes spread over tasks, the value is disposed
/// exactly once, after the last handle went, and never while a live handle reads it.
/// </summary>
public class ArcProperties
{
    /// <summary>What a task does with one of its handles.</summary>
    public enum OpKind
    {
        /// <summary>Clone the handle: works on a live handle, throws <see cref="ObjectDisposedException"/> on a disposed one.</summary>
        Clone,

        /// <summary>Dispose the handle: always allowed, a no-op the second time.</summary>
        Dispose,

        /// <summary>Read the value: works on a live handle, throws on a disposed one.</summary>
        Read,
    }

    /// <summary>One step: <see cref="Kind"/> applied to the task's handle number <see cref="Handle"/> (modulo how many it has).</summary>
    public readonly record struct Op(OpKind Kind, int Handle)
    {
        public override string ToString() => $"{Kind}#{Handle}";
    }

    /// <summary>Each task's steps; whether the first handle goes before the tasks start; and whether tasks pass a handle on to the next.</summary>
    public sealed record ArcPlan(Op[][] Tasks, bool DisposeRootFirst, bool PassOn)
    {
        public override string ToString() =>
            $"{(DisposeRootFirst ? "root disposed first" : "root disposed last")}, {(PassOn ? "handles passed on" : "no passing")}, " +
            string.Join(" | ", Tasks.Select((ops, i) => $"task {i}: {string.Join(" ", ops)}"));
    }

    private static Gen<Op> Ops =>
        from kind in Gen.Frequency((3, Gen.Constant(OpKind.Clone)), (3, Gen.Constant(OpKind.Dispose)), (2, Gen.Constant(OpKind.Read)))
        from handle in Gen.Choose(0, 7)
        select new Op(kind, handle);

    private static Gen<ArcPlan> Plans =>
        from taskCount in Gen.Choose(1, 8)
        from tasks in Gen.ArrayOf(Gen.ListOf(Ops).Select(ops => ops.ToArray()), taskCount)
        from disposeRootFirst in ArbMap.Default.GeneratorFor<bool>()
        from passOn in ArbMap.Default.GeneratorFor<bool>()
        select new ArcPlan(tasks, disposeRootFirst, passOn);

    /// <summary>Smaller plans: a task fewer, a step fewer, no passing on.</summary>
    private static IEnumerable<ArcPlan> Shrink(ArcPlan plan)
    {
        if (plan.PassOn)
        {
            yield return plan with { PassOn = false };
        }

        for (int task = 0; plan.Tasks.Length > 1 && task < plan.Tasks.Length; task++)
        {
            yield return plan with { Tasks = [.. plan.Tasks.Where((_, i) => i != task)] };
        }

        for (int task = 0; task < plan.Tasks.Length; task++)
        {
            for (int step = 0; step < plan.Tasks[task].Length; step++)
            {
                Op[][] tasks = [.. plan.Tasks];
                tasks[task] = [.. plan.Tasks[task].Where((_, i) => i != step)];
                yield return plan with { Tasks = tasks };
            }
        }
    }

    [FuturesProperty(50)]
    public Property Dispose_AnyPlanOfClonesAndDisposesOverTasks_DisposesTheValueExactlyOnce() =>
        Prop.ForAll(Arb.From(Plans, Shrink), plan =>
        {
            var value = new DisposalCounter();
            Arc<DisposalCounter> root = Arc.New(value);
            int taskCount = plan.Tasks.Length;

            // Handles passed from task i to task i + 1 (mod k): a live clone, or null when the task had none left.
            var links = Enumerable.Range(0, taskCount).Select(_ => Chan.New<Arc<DisposalCounter>?>()).ToArray();
            JoinHandle<List<Arc<DisposalCounter>>>[] tasks =
            [
                .. Enumerable.Range(0, taskCount).Select(i =>
                {
                    Arc<DisposalCounter> first = root.Clone();
                    Op[] ops = plan.Tasks[i];
                    Chan<Arc<DisposalCounter>?> next = links[(i + 1) % taskCount].Chan;
                    Port<Arc<DisposalCounter>?> previous = links[i].Port;
                    return global::Flow.Tasks.Spawn(() => Run(first, ops, plan.PassOn ? (next, previous) : null));
                }),
            ];
            if (plan.DisposeRootFirst)
            {
                root.Dispose();
            }

            List<Arc<DisposalCounter>> everyHandle = [.. tasks.SelectMany(Join)];
            Assert.Equal(plan.DisposeRootFirst ? 1 : 0, value.Disposals);
            Assert.Equal(plan.DisposeRootFirst ? 0 : 1, root.RefCount);
            if (!plan.DisposeRootFirst)
            {
                Assert.False(value.IsDisposed);
                Assert.Same(value, root.Value);
                root.Dispose();
            }

            Assert.Equal(1, value.Disposals);
            Assert.Equal(0, root.RefCount);

            // Every handle is gone now: none of them revives the value.
            foreach (Arc<DisposalCounter> handle in everyHandle.Append(root))
            {
                Assert.Throws<ObjectDisposedException>(() => handle.Clone());
                Assert.Throws<ObjectDisposedException>(() => handle.Value);
                handle.Dispose();
            }

            Assert.Equal(1, value.Disposals);
        });

    /// <summary>
    /// Runs one task's steps on its handles, checking each step; passes a live clone on to the next
    /// task and takes one from the previous (awaiting, so no thread waits); disposes what is left at
    /// the end; returns every handle it held.
    /// </summary>
    private static async Task<List<Arc<DisposalCounter>>> Run(
        Arc<DisposalCounter> first,
        Op[] ops,
        (Chan<Arc<DisposalCounter>?> Next, Port<Arc<DisposalCounter>?> Previous)? passOn)
    {
        var handles = new List<Arc<DisposalCounter>> { first };
        var disposed = new List<bool> { false };
        foreach (Op op in ops)
        {
            int at = op.Handle % handles.Count;
            Arc<DisposalCounter> handle = handles[at];
            switch (op.Kind)
            {
                case OpKind.Clone when disposed[at]:
                    Assert.Throws<ObjectDisposedException>(() => handle.Clone());
                    break;
                case OpKind.Clone:
                    handles.Add(handle.Clone());
                    disposed.Add(false);
                    break;
                case OpKind.Dispose:
                    handle.Dispose();
                    disposed[at] = true;
                    break;
                case OpKind.Read when disposed[at]:
                    Assert.Throws<ObjectDisposedException>(() => handle.Value);
                    Assert.Throws<ObjectDisposedException>(() => handle.Get());
                    break;
                case OpKind.Read:
                    // A live handle keeps the value alive: it cannot have been disposed yet.
                    Assert.False(handle.Get().IsDisposed, "the value was disposed while a live handle read it");
                    Assert.True(handle.RefCount >= 1);
                    break;
            }
        }

        if (passOn is var (next, previous))
        {
            int live = disposed.IndexOf(false);
            next.Send(live < 0 ? null : handles[live].Clone());
            if (await previous.RecvAsync().AsTask().WaitAsync(WaitLimit) is { } received)
            {
                Assert.False(received.Get().IsDisposed);
                handles.Add(received);
                disposed.Add(false);
            }
        }

        foreach (Arc<DisposalCounter> handle in handles)
        {
            handle.Dispose();
        }

        return handles;
    }

    /// <summary>A value that counts its disposals.</summary>
    private sealed class DisposalCounter : IDisposable
    {
        private int _disposals;

        public int Disposals => Volatile.Read(ref _disposals);

        public bool IsDisposed => Disposals != 0;

        public void Dispose() => Interlocked.Increment(ref _disposals);
    }
}
