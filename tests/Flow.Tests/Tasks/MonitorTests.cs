using static Flow.Tasks;

namespace Flow.Tests.Tasks;

/// <summary>Monitor: each call gets its own port that receives exactly one <see cref="TaskExit"/>.</summary>
public class MonitorTests
{
    [Fact]
    public async Task Monitor_RunningTask_DeliversExactlyOneExitWhenItEnds()
    {
        var (port, chan) = Chan.New<int>();
        JoinHandle<int> handle = Spawn(async () => await port.RecvAsync(), new SpawnOptions { Name = "watched" });

        Port<TaskExit> exits = handle.Monitor();
        Assert.False(exits.TryRecv(out _), "no exit while the task runs");
        chan.Send(1);

        TaskExit exit = await exits.RecvAsync().Within();
        Assert.Equal(handle.Id, exit.TaskId);
        Assert.Equal("watched", exit.TaskName);
        Assert.Equal(TaskState.Completed, exit.Status);
        Assert.Null(exit.Failure);
        await AssertNoMoreAsync(exits);
    }

    [Fact]
    public async Task Monitor_EndedTask_DeliversTheExitAtOnce()
    {
        JoinHandle handle = Spawn(() => { });
        await handle.Within();

        Port<TaskExit> exits = handle.Monitor();

        Assert.True(exits.TryRecv(out TaskExit? exit), "the exit is there without waiting");
        Assert.Equal(TaskState.Completed, exit.Status);
        await AssertNoMoreAsync(exits);
    }

    [Fact]
    public async Task Monitor_EachCall_GetsItsOwnPortWithOneExit()
    {
        var (port, chan) = Chan.New<int>();
        JoinHandle<int> handle = Spawn(async () => await port.RecvAsync());
        Port<TaskExit>[] before = [handle.Monitor(), handle.Monitor(), handle.Monitor()];
        Assert.Equal(3, before.Distinct().Count());

        chan.Send(1);
        await handle.Within();
        Port<TaskExit> after = handle.Monitor();

        foreach (Port<TaskExit> exits in before.Append(after))
        {
            TaskExit exit = await exits.RecvAsync().Within();
            Assert.Equal(handle.Id, exit.TaskId);
            await AssertNoMoreAsync(exits);
        }
    }

    [Fact]
    public async Task Monitor_FailedTask_TheExitCarriesTheSameException()
    {
        var boom = new InvalidOperationException("watched task failed");
        JoinHandle handle = Spawn(() => throw boom);

        TaskExit exit = await handle.Monitor().RecvAsync().Within();

        Assert.Equal(TaskState.Failed, exit.Status);
        Assert.Same(boom, exit.Failure!.Exception);
        Assert.Equal(handle.Id, exit.Failure.TaskId);
    }

    [Fact]
    public async Task Monitor_KilledTask_TheExitSaysKilled()
    {
        var (port, _) = Chan.New<int>();
        JoinHandle<int> handle = Spawn(async () => await port.RecvAsync());
        Port<TaskExit> exits = handle.Monitor();

        handle.Kill();

        TaskExit exit = await exits.RecvAsync().Within();
        Assert.Equal(TaskState.Killed, exit.Status);
        Assert.True(exit.Failure!.IsKill);
    }

    [Fact]
    public async Task Monitor_InASelectWithAMessagePort_TheLoopTakesEveryMessageAndThenTheExit()
    {
        var (messages, chan) = Chan.New<int>();
        var boom = new InvalidOperationException("worker gave up");
        var (go, fire) = Chan.New<int>();
        JoinHandle worker = Spawn(async () =>
        {
            await go.RecvAsync();
            for (int i = 1; i <= 5; i++)
            {
                chan.Send(i);
            }

            throw boom;
        });
        Port<TaskExit> exits = worker.Monitor();
        var received = new List<int>();
        TaskExit? exit = null;

        fire.Send(1);
        int rounds = 0;
        while (exit is null)
        {
            await Select.Case(messages, received.Add).Case(exits, e => exit = e).RunAsync().Within();
            Assert.True(++rounds <= 6, "one select per message, then one for the exit");
        }

        // The exit may win the select before every message was taken; none is lost.
        while (messages.TryRecv(out int late))
        {
            received.Add(late);
        }

        Assert.Equal([1, 2, 3, 4, 5], received);
        Assert.Equal(TaskState.Failed, exit.Status);
        Assert.Same(boom, exit.Failure!.Exception);
    }

    [Fact]
    public async Task Monitor_InASelectFromAFlowTask_WakesTheSelectingTask()
    {
        var (hold, _) = Chan.New<int>();
        JoinHandle<int> watched = Spawn(async () => await hold.RecvAsync());
        var (messages, _) = Chan.New<string>();

        JoinHandle<TaskState> watcher = Spawn(() =>
        {
            TaskState state = TaskState.Running;
            Select.Case(messages, _ => Assert.Fail("no message was sent")).Case(watched.Monitor(), e => state = e.Status).Run();
            return state;
        });
        watched.Kill();

        Assert.Equal(TaskState.Killed, await watcher.Within());
    }

    /// <summary>The monitor port is closed after its one exit: nothing more ever arrives.</summary>
    private static async Task AssertNoMoreAsync(Port<TaskExit> exits)
    {
        Assert.False(exits.TryRecv(out _));
        Assert.True(exits.IsCompleted);
        await Assert.ThrowsAsync<ChannelClosedException>(() => exits.RecvAsync().Within());
    }
}
