using static Flow.Tasks;

namespace Flow.Tests.Tasks;

/// <summary>
/// Structured concurrency: a scope's children end before the scope does, the first failure kills
/// the siblings and is reported once.
/// </summary>
public class TaskScopeTests
{
    [Fact]
    public async Task JoinAsync_AllChildrenSucceed_CompletesAfterTheLast()
    {
        var (port, chan) = Chan.New<int>();
        await using var scope = new TaskScope();
        int sum = 0;
        for (int i = 1; i <= 10; i++)
        {
            int value = i;
            _ = scope.Spawn(() => Interlocked.Add(ref sum, value));
        }

        JoinHandle<int> last = scope.Spawn(async () => await port.RecvAsync());
        Task join = scope.JoinAsync();
        Assert.False(join.IsCompleted, "a child still runs");
        chan.Send(1);

        await join.Within();
        Assert.Equal(55, sum);
        Assert.Equal(TaskState.Completed, last.Status);
        Assert.Null(scope.FirstFailure);
    }

    [Fact]
    public async Task JoinAsync_AChildFails_ThrowsThatFailureAndKillsTheSiblings()
    {
        var (hold, _) = Chan.New<int>();
        var siblingWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (go, fire) = Chan.New<int>();
        var boom = new InvalidOperationException("first failure");
        await using var scope = new TaskScope();

        JoinHandle sibling = scope.Spawn(async () =>
        {
            siblingWaiting.SetResult();
            await hold.RecvAsync();
        });
        JoinHandle failing = scope.Spawn(async () =>
        {
            await go.RecvAsync();
            throw boom;
        });
        await siblingWaiting.Task.Within();
        fire.Send(1);

        var thrown = await Assert.ThrowsAsync<TaskFailedException>(() => scope.JoinAsync().Within());
        Assert.Same(boom, thrown.InnerException);
        Assert.Equal(failing.Id, thrown.Failure!.TaskId);
        Assert.Equal(TaskState.Failed, failing.Status);
        Assert.Equal(TaskState.Killed, sibling.Status);
        Assert.Same(boom, scope.FirstFailure!.Exception);
    }

    [Fact]
    public async Task JoinAsync_SecondChildFailsAfterTheFirst_ReportsOnlyTheFirst()
    {
        var (secondGo, fireSecond) = Chan.New<int>();
        var first = new InvalidOperationException("first");
        await using var scope = new TaskScope();

        JoinHandle second = scope.Spawn(async () =>
        {
            try
            {
                await secondGo.RecvAsync();
            }
            catch (TaskKilledException)
            {
                // Killed by the first failure; a failure of its own now counts as the kill.
                throw new InvalidOperationException("second");
            }
        });
        _ = scope.Spawn(() => throw first);

        var thrown = await Assert.ThrowsAsync<TaskFailedException>(() => scope.JoinAsync().Within());
        Assert.Same(first, thrown.InnerException);
        Assert.Equal(TaskState.Killed, second.Status);
        GC.KeepAlive(fireSecond);
    }

    [Fact]
    public async Task DisposeAsync_WaitsForEveryChild()
    {
        var (port, chan) = Chan.New<int>();
        var scope = new TaskScope();
        JoinHandle<int> child = scope.Spawn(async () => await port.RecvAsync());

        Task disposing = scope.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted, "the child still runs");
        chan.Send(1);

        await disposing.Within();
        Assert.Equal(TaskState.Completed, child.Status);
    }

    [Fact]
    public async Task DisposeAsync_WithoutAwaitedJoin_RethrowsTheFirstFailure()
    {
        var boom = new InvalidOperationException("not joined");
        var scope = new TaskScope();
        JoinHandle failing = scope.Spawn(() => throw boom);

        var thrown = await Assert.ThrowsAsync<TaskFailedException>(() => scope.DisposeAsync().AsTask().Within());

        Assert.Same(boom, thrown.InnerException);
        Assert.Equal(failing.Id, thrown.Failure!.TaskId);
    }

    [Fact]
    public async Task DisposeAsync_AfterAnAwaitedJoin_DoesNotRethrow()
    {
        var boom = new InvalidOperationException("joined");
        var scope = new TaskScope();
        _ = scope.Spawn(() => throw boom);

        await Assert.ThrowsAsync<TaskFailedException>(() => scope.JoinAsync().Within());

        await scope.DisposeAsync().AsTask().Within();
    }

    [Fact]
    public async Task Completions_YieldsTheChildrenInTheOrderTheyEnded()
    {
        var gates = Enumerable.Range(0, 3).Select(_ => Chan.New<int>()).ToArray();
        var scope = new TaskScope();
        JoinHandle<int>[] children = [.. gates.Select(g => scope.Spawn(async () => await g.Port.RecvAsync()))];

        // End them in the order 2, 0, 1, each after the previous one ended.
        foreach (int i in new[] { 2, 0, 1 })
        {
            gates[i].Chan.Send(i);
            await children[i].Within();
        }

        await scope.DisposeAsync().AsTask().Within();
        var ended = new List<JoinHandle>();
        using var bound = new CancellationTokenSource(Bounded.Timeout);
        await foreach (JoinHandle child in scope.Completions(bound.Token))
        {
            ended.Add(child);
        }

        Assert.Equal([children[2], children[0], children[1]], ended);
    }

    [Fact]
    public async Task Completions_WhileChildrenRun_DeliversEachAsItEnds()
    {
        var (port, chan) = Chan.New<int>();
        await using var scope = new TaskScope();
        JoinHandle quick = scope.Spawn(() => 1);
        JoinHandle<int> slow = scope.Spawn(async () => await port.RecvAsync());
        await using IAsyncEnumerator<JoinHandle> completions = scope.Completions().GetAsyncEnumerator();

        Assert.True(await completions.MoveNextAsync().AsTask().Within());
        Assert.Same(quick, completions.Current);
        ValueTask<bool> next = completions.MoveNextAsync();
        Assert.False(next.IsCompleted, "the slow child still runs");
        chan.Send(2);
        Assert.True(await next.AsTask().Within());
        Assert.Same(slow, completions.Current);
    }

    [Fact]
    public async Task Spawn_IntoADisposedScope_ThrowsObjectDisposedException()
    {
        var scope = new TaskScope();
        await scope.DisposeAsync().AsTask().Within();

        Assert.Throws<ObjectDisposedException>(() => scope.Spawn(() => { }));
        Assert.Throws<ObjectDisposedException>(() => scope.Spawn(() => 1));
        Assert.Throws<ObjectDisposedException>(() => scope.Spawn(async () => await Task.Yield()));
        Assert.Throws<ObjectDisposedException>(() => scope.Spawn(1, static _ => { }));
    }

    [Fact]
    public async Task Spawn_NullBody_ThrowsArgumentNullException()
    {
        await using var scope = new TaskScope();

        Assert.Throws<ArgumentNullException>(() => scope.Spawn((Action)null!));
        Assert.Throws<ArgumentNullException>(() => scope.Spawn((Func<Task>)null!));
        Assert.Throws<ArgumentNullException>(() => scope.Spawn((Func<int>)null!));
        Assert.Throws<ArgumentNullException>(() => scope.Spawn((Func<Task<int>>)null!));
        Assert.Throws<ArgumentNullException>(() => scope.Spawn(1, (Action<int>)null!));
        Assert.Throws<ArgumentNullException>(() => scope.Spawn(1, (Func<int, Task>)null!));
    }

    [Fact]
    public async Task Scope_InsideAKilledTask_KillsItsChildren()
    {
        var children = new TaskCompletionSource<JoinHandle[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (holdA, _) = Chan.New<int>();
        var (holdB, _) = Chan.New<int>();

        JoinHandle owner = Spawn(async () =>
        {
            await using var scope = new TaskScope();
            children.SetResult([
                scope.Spawn(async () => await holdA.RecvAsync()),
                scope.Spawn(async () => await holdB.RecvAsync()),
            ]);
            await scope.JoinAsync();
        });
        JoinHandle[] spawned = await children.Task.Within();

        owner.Kill();

        await owner.JoinWithin();
        foreach (JoinHandle child in spawned)
        {
            Assert.True((await child.JoinWithin()).Error!.IsKill);
        }

        Assert.Equal(TaskState.Killed, owner.Status);
    }

    [Fact]
    public async Task Kill_KillsEveryRunningChild()
    {
        var (hold, _) = Chan.New<int>();
        var scope = new TaskScope();
        JoinHandle<int> child = scope.Spawn(async () => await hold.RecvAsync());

        scope.Kill();

        Assert.True((await child.JoinWithin()).Error!.IsKill);
        // Killed children are not failures: nothing to rethrow.
        await scope.DisposeAsync().AsTask().Within();
        Assert.Null(scope.FirstFailure);
    }
}
