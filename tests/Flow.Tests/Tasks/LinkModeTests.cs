using static Flow.Tasks;

namespace Flow.Tests.Tasks;

/// <summary>
/// Failure modes: Isolated keeps a failure in its task; Linked spreads a death both ways;
/// Supervised spreads a parent's death down only, even through tasks that already exited.
/// </summary>
public class LinkModeTests
{
    private static SpawnOptions Link(LinkMode mode, string? name = null) => new() { Link = mode, Name = name };

    [Fact]
    public async Task Linked_ChainOfFive_LeafFails_EveryAncestorEndsKilled()
    {
        const int length = 5;
        var handles = new JoinHandle[length];
        var leafWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (go, fire) = Chan.New<int>();
        var boom = new InvalidOperationException("the leaf fails");
        var holds = Enumerable.Range(0, length).Select(_ => Chan.New<int>()).ToArray();

        Func<Task> Node(int depth) => async () =>
        {
            if (depth == length - 1)
            {
                leafWaiting.SetResult();
                await go.RecvAsync();
                throw boom;
            }

            handles[depth + 1] = Spawn(Node(depth + 1), Link(LinkMode.Linked, $"chain-{depth + 1}"));

            // Stay alive until killed: the release below never comes for a linked ancestor.
            await holds[depth].Port.RecvAsync();
        };

        handles[0] = Spawn(Node(0), new SpawnOptions { Name = "chain-0" });
        await leafWaiting.Task.Within();
        await Bounded.UntilAsync(() => Enumerable.Range(0, length).All(i => Volatile.Read(ref handles[i]) is not null), "every link of the chain is spawned");
        Assert.All(handles, h => Assert.Equal(TaskState.Running, h.Status));

        fire.Send(1);

        Result leaf = await handles[length - 1].JoinWithin();
        Assert.Same(boom, leaf.Error!.Exception);
        Assert.Equal(TaskState.Failed, handles[length - 1].Status);
        for (int depth = length - 2; depth >= 0; depth--)
        {
            Result ancestor = await handles[depth].JoinWithin();
            Assert.Equal(TaskState.Killed, handles[depth].Status);
            Assert.True(ancestor.Error!.IsKill, $"chain-{depth} should report a kill");
        }
    }

    [Fact]
    public async Task Supervised_RootFailsAfterTheMiddleExited_TheGrandchildIsKilled()
    {
        var middleSpawned = new TaskCompletionSource<JoinHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
        var grandchildSpawned = new TaskCompletionSource<JoinHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (hold, _) = Chan.New<int>();
        var (rootGo, fireRoot) = Chan.New<int>();
        var boom = new InvalidOperationException("the root fails");

        JoinHandle root = Spawn(async () =>
        {
            JoinHandle middle = Spawn(
                () => grandchildSpawned.SetResult(Spawn(async () => await hold.RecvAsync(), Link(LinkMode.Supervised, "grandchild"))),
                Link(LinkMode.Supervised, "middle"));
            middleSpawned.SetResult(middle);
            await rootGo.RecvAsync();
            throw boom;
        });

        JoinHandle middle = await middleSpawned.Task.Within();
        JoinHandle grandchild = await grandchildSpawned.Task.Within();
        Assert.True((await middle.JoinWithin()).IsOk);
        Assert.Equal(TaskState.Running, grandchild.Status);

        fireRoot.Send(1);

        Assert.Same(boom, (await root.JoinWithin()).Error!.Exception);
        Result grandchildResult = await grandchild.JoinWithin();
        Assert.Equal(TaskState.Killed, grandchild.Status);
        Assert.True(grandchildResult.Error!.IsKill);
        Assert.Equal(TaskState.Completed, middle.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(LinkMode.Isolated)]
    public async Task Isolated_ChildFails_ParentAndSiblingsRunOnAndDeliverTheirResults(LinkMode? mode)
    {
        var (portA, chanA) = Chan.New<int>();
        var (portB, chanB) = Chan.New<int>();
        var boom = new InvalidOperationException("one child fails");
        var failedSeen = new TaskCompletionSource<Result>(TaskCreationOptions.RunContinuationsAsynchronously);
        SpawnOptions? options = mode is { } m ? Link(m) : null;

        JoinHandle<int> parent = Spawn(async () =>
        {
            JoinHandle<int> failing = Spawn(() => Bounded.Throw<int>(boom), options);
            JoinHandle<int> a = Spawn(async () => await portA.RecvAsync(), options);
            JoinHandle<int> b = Spawn(async () => await portB.RecvAsync(), options);
            failedSeen.SetResult(await failing.JoinAsync());
            return await a + await b;
        });

        Result failed = await failedSeen.Task.Within();
        Assert.Same(boom, failed.Error!.Exception);
        Assert.Equal(TaskState.Running, parent.Status);

        chanA.Send(20);
        chanB.Send(22);

        Assert.Equal(42, await parent.Within());
        Assert.Equal(TaskState.Completed, parent.Status);
    }

    [Fact]
    public async Task Linked_ParentFails_LinkedAndSupervisedChildrenDie_IsolatedChildLives()
    {
        var children = new TaskCompletionSource<(JoinHandle Linked, JoinHandle Supervised, JoinHandle<int> Isolated)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (linkedHold, _) = Chan.New<int>();
        var (supervisedHold, _) = Chan.New<int>();
        var (isolatedPort, isolatedChan) = Chan.New<int>();
        var (parentGo, fireParent) = Chan.New<int>();
        var boom = new InvalidOperationException("the parent fails");

        JoinHandle parent = Spawn(async () =>
        {
            children.SetResult((
                Spawn(async () => await linkedHold.RecvAsync(), Link(LinkMode.Linked)),
                Spawn(async () => await supervisedHold.RecvAsync(), Link(LinkMode.Supervised)),
                Spawn(async () => await isolatedPort.RecvAsync(), Link(LinkMode.Isolated))));
            await parentGo.RecvAsync();
            throw boom;
        });
        var (linked, supervised, isolated) = await children.Task.Within();

        fireParent.Send(1);

        Assert.Same(boom, (await parent.JoinWithin()).Error!.Exception);
        Assert.True((await linked.JoinWithin()).Error!.IsKill);
        Assert.True((await supervised.JoinWithin()).Error!.IsKill);
        Assert.Equal(TaskState.Killed, linked.Status);
        Assert.Equal(TaskState.Killed, supervised.Status);
        Assert.Equal(TaskState.Running, isolated.Status);
        isolatedChan.Send(5);
        Assert.Equal(5, await isolated.Within());
    }

    [Fact]
    public async Task Linked_ChildFails_KillsTheParentAndThroughItTheLinkedAndSupervisedSiblings()
    {
        var spawned = new TaskCompletionSource<(JoinHandle Failing, JoinHandle Linked, JoinHandle Supervised, JoinHandle<int> Isolated)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (linkedHold, _) = Chan.New<int>();
        var (supervisedHold, _) = Chan.New<int>();
        var (parentHold, _) = Chan.New<int>();
        var (isolatedPort, isolatedChan) = Chan.New<int>();
        var (childGo, fireChild) = Chan.New<int>();
        var boom = new InvalidOperationException("a linked child fails");

        JoinHandle parent = Spawn(async () =>
        {
            spawned.SetResult((
                Spawn(
                    async () =>
                    {
                        await childGo.RecvAsync();
                        throw boom;
                    },
                    Link(LinkMode.Linked)),
                Spawn(async () => await linkedHold.RecvAsync(), Link(LinkMode.Linked)),
                Spawn(async () => await supervisedHold.RecvAsync(), Link(LinkMode.Supervised)),
                Spawn(async () => await isolatedPort.RecvAsync())));
            await parentHold.RecvAsync();
        });
        var (failing, linked, supervised, isolated) = await spawned.Task.Within();

        fireChild.Send(1);

        Assert.Same(boom, (await failing.JoinWithin()).Error!.Exception);
        Assert.True((await parent.JoinWithin()).Error!.IsKill);
        Assert.True((await linked.JoinWithin()).Error!.IsKill);
        Assert.True((await supervised.JoinWithin()).Error!.IsKill);
        Assert.Equal(TaskState.Running, isolated.Status);
        isolatedChan.Send(8);
        Assert.Equal(8, await isolated.Within());
    }

    [Fact]
    public async Task Supervised_ChildFails_ParentAndSiblingsRunOn()
    {
        var spawned = new TaskCompletionSource<(JoinHandle Failing, JoinHandle<int> Sibling)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (siblingPort, siblingChan) = Chan.New<int>();
        var (parentPort, parentChan) = Chan.New<int>();
        var boom = new InvalidOperationException("a supervised child fails");

        JoinHandle<int> parent = Spawn(async () =>
        {
            spawned.SetResult((
                Spawn(() => throw boom, Link(LinkMode.Supervised)),
                Spawn(async () => await siblingPort.RecvAsync(), Link(LinkMode.Supervised))));
            return await parentPort.RecvAsync();
        });
        var (failing, sibling) = await spawned.Task.Within();

        Assert.Same(boom, (await failing.JoinWithin()).Error!.Exception);
        Assert.Equal(TaskState.Running, parent.Status);
        Assert.Equal(TaskState.Running, sibling.Status);
        siblingChan.Send(1);
        parentChan.Send(2);
        Assert.Equal(1, await sibling.Within());
        Assert.Equal(2, await parent.Within());
    }

    [Theory]
    [InlineData(LinkMode.Linked)]
    [InlineData(LinkMode.Supervised)]
    public async Task LinkedOrSupervised_FromPlainCode_ActAsIsolated(LinkMode mode)
    {
        var (port, chan) = Chan.New<int>();
        var boom = new InvalidOperationException("no Flow parent");

        JoinHandle failing = Spawn(() => throw boom, Link(mode));
        JoinHandle<int> sibling = Spawn(async () => await port.RecvAsync(), Link(mode));

        Assert.Same(boom, (await failing.JoinWithin()).Error!.Exception);
        Assert.Equal(TaskState.Failed, failing.Status);
        Assert.Equal(TaskState.Running, sibling.Status);
        chan.Send(3);
        Assert.Equal(3, await sibling.Within());
    }

    [Fact]
    public async Task Kill_OfALinkedChild_KillsTheParentAndItsSupervisedChild()
    {
        var spawned = new TaskCompletionSource<(JoinHandle Supervised, JoinHandle Linked)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (holdA, _) = Chan.New<int>();
        var (holdB, _) = Chan.New<int>();
        var (holdParent, _) = Chan.New<int>();

        JoinHandle parent = Spawn(async () =>
        {
            spawned.SetResult((
                Spawn(async () => await holdA.RecvAsync(), Link(LinkMode.Supervised)),
                Spawn(async () => await holdB.RecvAsync(), Link(LinkMode.Linked))));
            await holdParent.RecvAsync();
        });
        var (supervised, linked) = await spawned.Task.Within();

        linked.Kill();

        Assert.True((await linked.JoinWithin()).Error!.IsKill);
        Assert.True((await parent.JoinWithin()).Error!.IsKill);
        Assert.True((await supervised.JoinWithin()).Error!.IsKill);
    }

    [Fact]
    public async Task Kill_OfAParent_KillsItsSupervisedChild_ButNotItsIsolatedOne()
    {
        var spawned = new TaskCompletionSource<(JoinHandle Supervised, JoinHandle<int> Isolated)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (holdA, _) = Chan.New<int>();
        var (isolatedPort, isolatedChan) = Chan.New<int>();
        var (holdParent, _) = Chan.New<int>();

        JoinHandle parent = Spawn(async () =>
        {
            spawned.SetResult((
                Spawn(async () => await holdA.RecvAsync(), Link(LinkMode.Supervised)),
                Spawn(async () => await isolatedPort.RecvAsync())));
            await holdParent.RecvAsync();
        });
        var (supervised, isolated) = await spawned.Task.Within();

        parent.Kill();

        Assert.True((await parent.JoinWithin()).Error!.IsKill);
        Assert.True((await supervised.JoinWithin()).Error!.IsKill);
        Assert.Equal(TaskState.Running, isolated.Status);
        isolatedChan.Send(4);
        Assert.Equal(4, await isolated.Within());
    }
}
