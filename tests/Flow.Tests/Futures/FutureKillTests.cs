using static Flow.Tasks;
using static Flow.Tests.Futures.FuturesBounded;

namespace Flow.Tests.Futures;

/// <summary>
/// <c>Get</c> and <c>GetAsync</c> are Flow waits: inside a Flow task, killing the task wakes them with
/// <see cref="TaskKilledException"/>, and the future itself is untouched.
/// </summary>
public class FutureKillTests
{
    [Fact]
    public async Task Get_TaskKilledWhileBlocked_ThrowsTaskKilled_AndTheTaskEndsKilled()
    {
        var (future, promise) = Future.New<int>();
        Thread? blocked = null;
        Exception? seen = null;
        JoinHandle<int> task = Spawn(() =>
        {
            blocked = Thread.CurrentThread;
            try
            {
                return future.Get();
            }
            catch (Exception e)
            {
                seen = e;
                throw;
            }
        });
        await UntilAsync(() => blocked is not null, "the task started");
        await UntilBlockedAsync(blocked!);

        task.Kill();

        Result<int> result = await task.JoinWithin();
        Assert.True(result.IsErr);
        Assert.IsType<TaskKilledException>(result.Error!.Exception);
        Assert.IsType<TaskKilledException>(seen);
        Assert.Equal(TaskState.Killed, task.Status);
        AssertFutureUntouched(future, promise);
    }

    [Fact]
    public async Task GetAsync_TaskKilledWhileAwaiting_ThrowsTaskKilled_AndTheTaskEndsKilled()
    {
        var (future, promise) = Future.New<int>();
        var parked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? seen = null;
        JoinHandle<int> task = Spawn(async () =>
        {
            // GetAsync has registered its wait once it returns a pending task.
            ValueTask<int> get = future.GetAsync();
            parked.SetResult();
            try
            {
                return await get;
            }
            catch (Exception e)
            {
                seen = e;
                throw;
            }
        });
        await parked.Task.Within();

        task.Kill();

        Result<int> result = await task.JoinWithin();
        Assert.True(result.IsErr);
        Assert.IsType<TaskKilledException>(result.Error!.Exception);
        Assert.IsType<TaskKilledException>(seen);
        Assert.Equal(TaskState.Killed, task.Status);
        AssertFutureUntouched(future, promise);
    }

    [Fact]
    public async Task GetAsync_WithCallerToken_TaskKilled_ThrowsTaskKilledNotCanceled()
    {
        var (future, promise) = Future.New<int>();
        using var cts = new CancellationTokenSource();
        var parked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JoinHandle<int> task = Spawn(async () =>
        {
            ValueTask<int> get = future.GetAsync(cts.Token);
            parked.SetResult();
            return await get;
        });
        await parked.Task.Within();

        task.Kill();

        Result<int> result = await task.JoinWithin();
        Assert.IsType<TaskKilledException>(result.Error!.Exception);
        AssertFutureUntouched(future, promise);
    }

    [Fact]
    public async Task Get_ReadyFutureInsideATask_ReturnsTheValue()
    {
        Future<int> ready = Future.FromValue(3);

        Assert.Equal(4, (await Spawn(() => ready.Get() + 1).JoinWithin()).Unwrap());
    }

    [Fact]
    public async Task Get_InsideATask_WaitsForASpawnedFuture()
    {
        Future<int> inner = Future.Spawn(() => 20);

        Result<int> outer = await Spawn(() => inner.Get() + 1).JoinWithin();

        Assert.Equal(21, outer.Unwrap());
    }

    [Fact]
    public async Task Get_KilledWaiterDoesNotDisturbOtherWaiters()
    {
        var (future, promise) = Future.New<int>();
        var parked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JoinHandle<int> killed = Spawn(async () =>
        {
            ValueTask<int> get = future.GetAsync();
            parked.SetResult();
            return await get;
        });
        JoinHandle<int> survivor = Spawn(async () => await future.GetAsync());
        await parked.Task.Within();

        killed.Kill();
        Assert.True((await killed.JoinWithin()).IsErr);
        promise.Complete(99);

        Assert.Equal(99, (await survivor.JoinWithin()).Unwrap());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FromPort_CreatedInATaskThatIsThenKilled_StillGetsTheFirstMessage(bool asyncBody)
    {
        // FromPort does not wait: the receive belongs to the future, which may be handed to anyone,
        // so the kill of the task that happened to create it must not fail it.
        var (port, chan) = Chan.New<int>();
        var made = new TaskCompletionSource<Future<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var hold = new ManualResetEventSlim();
        JoinHandle creator = asyncBody
            ? Spawn(async () =>
            {
                made.SetResult(Future.FromPort(port));
                await ended.Task;
            })
            : Spawn(() =>
            {
                made.SetResult(Future.FromPort(port));
                hold.WaitOrFail("the creator is killed");
            });
        Future<int> future = await made.Task.Within();

        creator.Kill();
        ended.SetResult();
        hold.Set();
        await creator.JoinWithin();
        chan.Send(5);

        Assert.Equal(5, await future.Within());
    }

    private static void AssertFutureUntouched(Future<int> future, Promise<int> promise)
    {
        Assert.False(future.IsReady, "killing a reader must not complete or fail the future");
        promise.Complete(5);
        Assert.Equal(5, future.Get());
    }
}
