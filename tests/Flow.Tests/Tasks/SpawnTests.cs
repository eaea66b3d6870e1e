using static Flow.Tasks;

namespace Flow.Tests.Tasks;

/// <summary>Spawn's four body shapes, the handle's outcome (Join, JoinAsync, await, Status), Try and Tasks.Current.</summary>
public class SpawnTests
{
    [Fact]
    public async Task Spawn_FuncBody_JoinAndAwaitYieldTheValue()
    {
        JoinHandle<int> handle = Spawn(() => 6 * 7);

        Result<int> joined = await handle.JoinWithin();
        int awaited = await handle.Within();

        Assert.True(joined.IsOk);
        Assert.Equal(42, joined.Value);
        Assert.Equal(42, awaited);
        Assert.Equal(TaskState.Completed, handle.Status);
    }

    [Fact]
    public async Task Spawn_AsyncFuncBody_EndsWhenTheReturnedTaskDoes()
    {
        var (port, chan) = Chan.New<int>();
        JoinHandle<int> handle = Spawn(async () => await port.RecvAsync() + 1);

        Assert.Equal(TaskState.Running, handle.Status);
        chan.Send(41);

        Assert.Equal(42, await handle.Within());
        Assert.Equal(TaskState.Completed, handle.Status);
    }

    [Fact]
    public async Task Spawn_ActionBody_CompletesOk()
    {
        int ran = 0;
        JoinHandle handle = Spawn(() => Interlocked.Increment(ref ran));

        Result result = await handle.JoinWithin();

        Assert.True(result.IsOk);
        Assert.Equal(1, ran);
        Assert.Equal(TaskState.Completed, handle.Status);
    }

    [Fact]
    public async Task Spawn_AsyncActionBody_StaysRunningUntilItsAwaitEnds()
    {
        var (port, chan) = Chan.New<string>();
        string? got = null;
        JoinHandle handle = Spawn(async () => got = await port.RecvAsync());

        Assert.Equal(TaskState.Running, handle.Status);
        chan.Send("hello");
        await handle.Within();

        Assert.Equal("hello", got);
        Assert.Equal(TaskState.Completed, handle.Status);
    }

    [Fact]
    public async Task Spawn_BodyThrows_JoinIsErrWithTheSameExceptionAndStatusFailed()
    {
        var boom = new InvalidOperationException("boom");
        JoinHandle<int> handle = Spawn(() => Bounded.Throw<int>(boom), new SpawnOptions { Name = "thrower" });

        Result<int> result = await handle.JoinWithin();

        Assert.True(result.IsErr);
        Assert.Same(boom, result.Error!.Exception);
        Assert.Equal("boom", result.Error.Reason);
        Assert.Equal(handle.Id, result.Error.TaskId);
        Assert.Equal("thrower", result.Error.TaskName);
        Assert.False(result.Error.IsKill);
        Assert.Equal(TaskState.Failed, handle.Status);
    }

    [Fact]
    public async Task Await_FailedTask_ThrowsTaskFailedExceptionCarryingTheOriginal()
    {
        var boom = new FormatException("bad input");
        JoinHandle<int> valued = Spawn(() => Bounded.Throw<int>(boom));
        JoinHandle plain = Spawn(async () =>
        {
            await Task.Yield();
            throw boom;
        });

        var fromValued = await Assert.ThrowsAsync<TaskFailedException>(async () => await valued.Within());
        var fromPlain = await Assert.ThrowsAsync<TaskFailedException>(async () => await plain.Within());

        Assert.Same(boom, fromValued.InnerException);
        Assert.Same(boom, fromValued.Failure!.Exception);
        Assert.Equal(valued.Id, fromValued.Failure.TaskId);
        Assert.Same(boom, fromPlain.InnerException);
        Assert.Equal(TaskState.Failed, plain.Status);
    }

    [Fact]
    public async Task JoinAsync_Cancelled_StopsTheWaitButNotTheTask()
    {
        var (port, chan) = Chan.New<int>();
        JoinHandle<int> handle = Spawn(async () => await port.RecvAsync());
        using var cts = new CancellationTokenSource();

        Task<Result<int>> join = handle.JoinAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => join.Within());
        Assert.Equal(TaskState.Running, handle.Status);
        chan.Send(7);
        Assert.Equal(7, (await handle.JoinWithin()).Value);
    }

    [Fact]
    public async Task Join_Blocking_ReturnsTheOutcome()
    {
        JoinHandle<string> ok = Spawn(() => "done");
        var boom = new ArithmeticException();
        JoinHandle failed = Spawn(() => throw boom);

        // Join blocks a thread: run it off the test's thread, bounded.
        Result<string> okResult = await Task.Run(ok.Join).Within();
        Result failedResult = await Task.Run(failed.Join).Within();

        Assert.Equal("done", okResult.Value);
        Assert.Same(boom, failedResult.Error!.Exception);
    }

    [Fact]
    public void Spawn_Options_NameAndIdAreOnTheHandle()
    {
        JoinHandle first = Spawn(() => { }, new SpawnOptions { Name = "named" });
        JoinHandle second = Spawn(() => { });

        Assert.Equal("named", first.Name);
        Assert.Null(second.Name);
        Assert.NotEqual(first.Id, second.Id);
        Assert.True(second.Id.Value > first.Id.Value, "ids increase in spawn order");
    }

    [Fact]
    public async Task Try_NeverThrowsForABodyFailure()
    {
        var boom = new InvalidOperationException("inside try");

        Result<int> okValue = await Task.Run(() => Try(() => 5)).Within();
        Result<int> errValue = await Task.Run(() => Try(() => Bounded.Throw<int>(boom))).Within();
        Result okAction = await Task.Run(() => Try(() => { })).Within();
        Result errAction = await Task.Run(() => Try(() => throw boom)).Within();

        Assert.Equal(5, okValue.Value);
        Assert.Same(boom, errValue.Error!.Exception);
        Assert.True(okAction.IsOk);
        Assert.Same(boom, errAction.Error!.Exception);
    }

    [Fact]
    public async Task TryAsync_NeverThrowsForABodyFailure()
    {
        var boom = new InvalidOperationException("inside try async");

        Result<int> okValue = await TryAsync(async () =>
        {
            await Task.Yield();
            return 9;
        }).Within();
        Result<int> errValue = await TryAsync<int>(async () =>
        {
            await Task.Yield();
            throw boom;
        }).Within();
        Result errAction = await TryAsync(() => throw boom).Within();
        Result errTask = await TryAsync(() => Task.FromException(boom)).Within();

        Assert.Equal(9, okValue.Value);
        Assert.Same(boom, errValue.Error!.Exception);
        Assert.Same(boom, errAction.Error!.Exception);
        Assert.Same(boom, errTask.Error!.Exception);
    }

    public static TheoryData<string> NullBodies => new(NullBodyCalls.Keys);

    private static readonly Dictionary<string, Action> NullBodyCalls = new()
    {
        ["Spawn(Action)"] = () => Spawn((Action)null!),
        ["Spawn(Func<Task>)"] = () => Spawn((Func<Task>)null!),
        ["Spawn(Func<T>)"] = () => Spawn((Func<int>)null!),
        ["Spawn(Func<Task<T>>)"] = () => Spawn((Func<Task<int>>)null!),
        ["Spawn(state, Action<TState>)"] = () => Spawn(1, (Action<int>)null!),
        ["Spawn(state, Func<TState, Task>)"] = () => Spawn(1, (Func<int, Task>)null!),
        ["Spawn(state, Func<TState, T>)"] = () => Spawn(1, (Func<int, int>)null!),
        ["Spawn(state, Func<TState, Task<T>>)"] = () => Spawn(1, (Func<int, Task<int>>)null!),
        ["Try(Action)"] = () => Try((Action)null!),
        ["Try(Func<T>)"] = () => Try((Func<int>)null!),
        ["TryAsync(Func<Task>)"] = () => TryAsync((Func<Task>)null!),
        ["TryAsync(Func<Task<T>>)"] = () => TryAsync((Func<Task<int>>)null!),
    };

    [Theory]
    [MemberData(nameof(NullBodies))]
    public void Spawn_NullBody_ThrowsArgumentNullException(string call)
    {
        Assert.Throws<ArgumentNullException>(NullBodyCalls[call]);
    }

    [Fact]
    public async Task Current_OutsideAFlowTask_IsNull()
    {
        Assert.Null(Current);
        await Task.Yield();
        Assert.Null(Current);
        Assert.Null(await Task.Run(() => Current).Within());
    }

    [Fact]
    public async Task Current_InsideATask_IsThatTaskAlsoAfterAwaits()
    {
        var (port, chan) = Chan.New<int>();
        var seen = new List<TaskInfo?>();
        JoinHandle handle = Spawn(
            async () =>
            {
                seen.Add(Current);
                await Task.Yield();
                seen.Add(Current);
                await YieldAsync();
                seen.Add(Current);
                await port.RecvAsync();
                seen.Add(Current);
                await Task.Delay(1);
                seen.Add(Current);
            },
            new SpawnOptions { Name = "current" });

        chan.Send(1);
        await handle.Within();

        Assert.Equal(5, seen.Count);
        Assert.All(seen, info =>
        {
            Assert.NotNull(info);
            Assert.Equal(handle.Id, info.Id);
            Assert.Equal("current", info.Name);
        });
        Assert.Null(Current);
    }

    [Fact]
    public async Task Current_InANestedSpawn_IsTheChildThenTheParentAgain()
    {
        TaskId? parentSeen = null;
        TaskId? childSeen = null;
        TaskId? parentAfter = null;
        JoinHandle<TaskId> child = null!;
        JoinHandle parent = Spawn(async () =>
        {
            parentSeen = Current?.Id;
            child = Spawn(() => Current!.Id);
            childSeen = await child;
            parentAfter = Current?.Id;
        });

        await parent.Within();

        Assert.Equal(parent.Id, parentSeen);
        Assert.Equal(child.Id, childSeen);
        Assert.Equal(parent.Id, parentAfter);
        Assert.NotEqual(parent.Id, child.Id);
    }

    [Fact]
    public async Task Spawn_100000AsyncTasks_AllCompleteWithTheirOwnResult()
    {
        const int count = 100_000;
        var handles = new JoinHandle<int>[count];
        var chans = new Chan<int>[count];
        for (int i = 0; i < count; i++)
        {
            int value = i;
            if (i % 2 == 0)
            {
                // Half yield through Flow's runtime...
                handles[i] = Spawn(async () =>
                {
                    await YieldAsync();
                    return value;
                });
            }
            else
            {
                // ...and half wait for a message that is sent only after every task was spawned.
                var (port, chan) = Chan.New<int>();
                chans[i] = chan;
                handles[i] = Spawn(async () => await port.RecvAsync());
            }
        }

        for (int i = 1; i < count; i += 2)
        {
            chans[i].Send(i);
        }

        long sum = 0;
        int completed = 0;
        Task all = Task.Run(async () =>
        {
            for (int i = 0; i < count; i++)
            {
                int value = await handles[i];
                Assert.Equal(i, value);
                sum += value;
                completed++;
            }
        });
        await all.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(count, completed);
        Assert.Equal((long)count * (count - 1) / 2, sum);
        Assert.All(handles, h => Assert.Equal(TaskState.Completed, h.Status));
    }
}
