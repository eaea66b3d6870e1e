using System.Collections.Concurrent;
using System.Threading.Tasks.Dataflow;

namespace Flow.Tests.Futures;

/// <summary>
/// A future is a Dataflow source with <see cref="WriteOnceBlock{T}"/> semantics: one value,
/// offered to every linked target, never removed by a receive.
/// </summary>
public class FutureDataflowTests
{
    private static readonly DataflowLinkOptions Propagate = new() { PropagateCompletion = true };

    [Fact]
    public async Task LinkTo_SeveralTargetsBeforeTheValue_BroadcastsItToEveryActionAndBufferBlock()
    {
        var (future, promise) = Future.New<string>();
        var seen = new ConcurrentBag<(int Block, string Value)>();
        ActionBlock<string>[] actions = [.. Enumerable.Range(0, 3).Select(i => new ActionBlock<string>(v => seen.Add((i, v))))];
        BufferBlock<string>[] buffers = [.. Enumerable.Range(0, 2).Select(_ => new BufferBlock<string>())];
        foreach (ITargetBlock<string> target in actions.Cast<ITargetBlock<string>>().Concat(buffers))
        {
            future.LinkTo(target, Propagate);
        }

        promise.Complete("broadcast");

        await Task.WhenAll(actions.Select(a => a.Completion)).Within();
        Assert.Equal([(0, "broadcast"), (1, "broadcast"), (2, "broadcast")], seen.OrderBy(s => s.Block));
        foreach (BufferBlock<string> buffer in buffers)
        {
            Assert.True(buffer.TryReceiveAll(out IList<string>? items));
            Assert.Equal(["broadcast"], items);
            await buffer.Completion.Within();
        }
    }

    [Fact]
    public async Task LinkTo_AfterTheValue_TargetStillGetsIt()
    {
        Future<int> future = Future.FromValue(8);
        var first = new BufferBlock<int>();
        var second = new BufferBlock<int>();

        future.LinkTo(first, Propagate);
        future.LinkTo(second);

        Assert.Equal(8, await first.ReceiveAsync().Within());
        await first.Completion.Within();
        Assert.Equal(8, await second.ReceiveAsync().Within());
        Assert.False(second.Completion.IsCompleted, "a link without PropagateCompletion must not complete the target");
    }

    [Fact]
    public async Task LinkTo_SpawnedFuture_BroadcastsTheComputedValue()
    {
        using var release = new ManualResetEventSlim();
        Future<int> future = Future.Spawn(() =>
        {
            release.WaitOrFail("the targets are linked");
            return 6 * 7;
        });
        var sums = new int[4];
        ActionBlock<int>[] actions = [.. Enumerable.Range(0, 4).Select(i => new ActionBlock<int>(v => sums[i] += v))];
        foreach (ActionBlock<int> action in actions)
        {
            future.LinkTo(action, Propagate);
        }

        release.Set();

        await Task.WhenAll(actions.Select(a => a.Completion)).Within();
        Assert.Equal([42, 42, 42, 42], sums);
    }

    [Fact]
    public async Task LinkTo_PropagateCompletion_FailedFutureFaultsEveryTargetWithTheOriginalException()
    {
        var (future, promise) = Future.New<int>();
        var before = new BufferBlock<int>();
        var action = new ActionBlock<int>(_ => Assert.Fail("a failed future has no value"));
        future.LinkTo(before, Propagate);
        future.LinkTo(action, Propagate);
        var boom = new InvalidOperationException("no value");

        promise.Fail(boom);
        var after = new BufferBlock<int>();
        future.LinkTo(after, Propagate);

        foreach (IDataflowBlock target in new IDataflowBlock[] { before, action, after })
        {
            InvalidOperationException thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => target.Completion.Within());
            Assert.Same(boom, thrown);
        }
    }

    [Fact]
    public async Task LinkTo_WithoutPropagation_FailedFutureLeavesTargetsOpen()
    {
        var (future, promise) = Future.New<int>();
        var target = new BufferBlock<int>();
        future.LinkTo(target);

        promise.Fail(new InvalidOperationException("no value"));

        Assert.Equal(0, target.Count);
        Assert.False(target.Completion.IsCompleted);
        target.Complete();
        await target.Completion.Within();
    }

    [Fact]
    public void LinkTo_DisposedBeforeTheValue_TargetGetsNothing()
    {
        var (future, promise) = Future.New<int>();
        var kept = new BufferBlock<int>();
        var unlinked = new BufferBlock<int>();
        future.LinkTo(kept);
        future.LinkTo(unlinked).Dispose();

        promise.Complete(1);

        Assert.True(kept.TryReceive(out int value));
        Assert.Equal(1, value);
        Assert.False(unlinked.TryReceive(out _));
    }

    [Fact]
    public async Task LinkTo_TargetThatPostpones_ConsumesTheValueLater()
    {
        // A full bounded buffer postpones the offer, and consumes it from the future once it has room.
        var full = new BufferBlock<int>(new DataflowBlockOptions { BoundedCapacity = 1 });
        Assert.True(full.Post(-1));
        Future<int> future = Future.FromValue(10);

        future.LinkTo(full);

        Assert.Equal(-1, await full.ReceiveAsync().Within());
        Assert.Equal(10, await full.ReceiveAsync().Within());
        Assert.Equal(10, future.Get());
    }

    [Fact]
    public void LinkTo_NullArguments_ThrowArgumentNull()
    {
        Future<int> future = Future.FromValue(1);

        Assert.Throws<ArgumentNullException>(() => future.LinkTo(null!, Propagate));
        Assert.Throws<ArgumentNullException>(() => future.LinkTo(new BufferBlock<int>(), null!));
    }

    [Fact]
    public async Task ReceiveAsync_PendingFuture_ReturnsTheValueOnceSet()
    {
        var (future, promise) = Future.New<int>();
        Task<int> receive = DataflowBlock.ReceiveAsync(future);
        Assert.False(receive.IsCompleted);

        promise.Complete(4);

        Assert.Equal(4, await receive.Within());
        Assert.Equal(4, await DataflowBlock.ReceiveAsync(future).Within());
        Assert.Equal(4, DataflowBlock.Receive(future, FuturesBounded.Timeout));
    }

    [Fact]
    public async Task ReceiveAsync_FailedFuture_Throws()
    {
        var (future, promise) = Future.New<int>();
        Task<int> pending = DataflowBlock.ReceiveAsync(future);

        promise.Fail(new InvalidOperationException("no value"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => pending.Within());
        await Assert.ThrowsAsync<InvalidOperationException>(() => DataflowBlock.ReceiveAsync(future).Within());
    }

    [Fact]
    public async Task OutputAvailableAsync_TrueOnceTheValueIsSet()
    {
        var (future, promise) = Future.New<int>();
        Task<bool> available = future.OutputAvailableAsync();

        promise.Complete(1);

        Assert.True(await available.Within());
        Assert.Equal(1, future.Get());
    }

    [Fact]
    public void TryReceive_DoesNotRemoveTheValue()
    {
        var (future, promise) = Future.New<int>();
        Assert.False(future.TryReceive(null, out _));
        Assert.False(future.TryReceiveAll(out _));

        promise.Complete(3);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(future.TryReceive(out int value));
            Assert.Equal(3, value);
            Assert.True(future.TryReceiveAll(out IList<int>? items));
            Assert.Equal([3], items);
        }

        Assert.False(future.TryReceive(v => v != 3, out _));
        Assert.True(future.TryReceive(v => v == 3, out _));
        Assert.Equal(3, future.Get());
    }

    [Fact]
    public void TryReceive_FailedFuture_ReturnsFalse()
    {
        var (future, promise) = Future.New<int>();
        promise.Fail(new InvalidOperationException("no value"));

        Assert.False(future.TryReceive(out _));
        Assert.False(future.TryReceiveAll(out _));
    }

    [Fact]
    public async Task Completion_CompletesWhenTheValueIsSet()
    {
        var (future, promise) = Future.New<int>();
        Task completion = future.Completion;
        Assert.False(completion.IsCompleted);

        promise.Complete(1);

        await completion.Within();
        Assert.True(completion.IsCompletedSuccessfully);
        await Future.FromValue(2).Completion.Within();
    }

    [Fact]
    public async Task Completion_FaultsWithTheOriginalExceptionWhenTheComputationFails()
    {
        var boom = new InvalidOperationException("no value");
        Future<int> future = Future.Spawn(() => boom.Throw<int>());

        InvalidOperationException thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => future.Completion.Within());

        Assert.Same(boom, thrown);
        Assert.True(future.Completion.IsFaulted);
    }

    [Fact]
    public async Task Fault_AsABlock_FailsAPendingFutureWithTheException()
    {
        var (future, _) = Future.New<int>();
        var boom = new InvalidOperationException("faulted");

        ((IDataflowBlock)future).Fault(boom);

        FutureTests.AssertCarries(boom, await Assert.ThrowsAsync<TaskFailedException>(() => future.Within()));
    }

    [Fact]
    public async Task Complete_AsABlock_FailsAPendingFutureWithChannelClosed_AndLeavesAReadyOneAlone()
    {
        var (pending, _) = Future.New<int>();
        Future<int> ready = Future.FromValue(1);

        ((IDataflowBlock)pending).Complete();
        ((IDataflowBlock)ready).Complete();
        ((IDataflowBlock)ready).Fault(new InvalidOperationException("ignored"));

        TaskFailedException failed = await Assert.ThrowsAsync<TaskFailedException>(() => pending.Within());
        Assert.IsType<ChannelClosedException>(failed.InnerException);
        Assert.Equal(1, ready.Get());
    }

    [Fact]
    public async Task AsSourceOfAPipeline_EveryLinkedTransformSeesTheValue()
    {
        Future<int> future = Future.Spawn(() => 5);
        var doubled = new TransformBlock<int, int>(v => v * 2);
        var squared = new TransformBlock<int, int>(v => v * v);
        future.LinkTo(doubled, Propagate);
        future.LinkTo(squared, Propagate);

        Assert.Equal(10, await doubled.ReceiveAsync().Within());
        Assert.Equal(25, await squared.ReceiveAsync().Within());
        await Task.WhenAll(doubled.Completion, squared.Completion).Within();
    }
}
