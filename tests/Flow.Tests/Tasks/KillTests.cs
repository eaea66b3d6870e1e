using static Flow.Tasks;

namespace Flow.Tests.Tasks;

/// <summary>
/// Kill is cooperative: it fires the task's kill token, and every Flow operation that waits inside
/// the task wakes with <see cref="TaskKilledException"/>; the task then ends Killed.
/// </summary>
public class KillTests
{
    /// <summary>A Flow operation that waits until something wakes it, with what to check and undo afterwards.</summary>
    private sealed class Blocker
    {
        public Action? Sync { get; init; }

        public Func<Task>? Async { get; init; }

        /// <summary>Checks, after the kill, that the interrupted operation took or delivered nothing.</summary>
        public Action AssertAfterKill { get; init; } = static () => { };

        public Action Cleanup { get; init; } = static () => { };
    }

    // Each maker runs in the test's own (plain) code: whatever else it spawns is not related to the
    // task that will be killed.
    private static readonly Dictionary<string, Func<Blocker>> SyncBlockers = new()
    {
        ["Port.Recv"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            return new Blocker { Sync = () => port.Recv(), Cleanup = chan.Close };
        },
        ["Port.Recv with a token that never fires"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            var cts = new CancellationTokenSource();
            return new Blocker { Sync = () => port.Recv(cts.Token), Cleanup = () => { chan.Close(); cts.Dispose(); } };
        },
        ["Port.Iter"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            return new Blocker
            {
                Sync = () =>
                {
                    foreach (int message in port.Iter())
                    {
                        Assert.Fail($"Unexpected message {message}.");
                    }
                },
                Cleanup = chan.Close,
            };
        },
        ["Chan.Send on a full bounded chan"] = static () =>
        {
            var (port, chan) = Chan.New<int>(1);
            chan.Send(0);
            return new Blocker
            {
                Sync = () => chan.Send(1),
                AssertAfterKill = () => AssertOnlyMessage(port, 0),
                Cleanup = port.Dispose,
            };
        },
        ["Chan.Send on a rendezvous chan"] = static () =>
        {
            var (port, chan) = Chan.New<int>(0);
            return new Blocker
            {
                Sync = () => chan.Send(1),
                AssertAfterKill = () => Assert.False(port.TryRecv(out _), "a killed rendezvous send delivered its message"),
                Cleanup = port.Dispose,
            };
        },
        ["SharedChan.Send on a full bounded chan"] = static () =>
        {
            var (port, chan) = SharedChan.New<int>(1);
            chan.Send(0);
            return new Blocker
            {
                Sync = () => chan.Send(1),
                AssertAfterKill = () => AssertOnlyMessage(port, 0),
                Cleanup = port.Dispose,
            };
        },
        ["Select.Recv"] = static () =>
        {
            var (a, chanA) = Chan.New<int>();
            var (b, chanB) = Chan.New<int>();
            return new Blocker { Sync = () => Select.Recv(a, b), Cleanup = () => { chanA.Close(); chanB.Close(); } };
        },
        ["SelectBuilder.Run"] = static () =>
        {
            var (a, chanA) = Chan.New<int>();
            var (b, chanB) = Chan.New<string>();
            return new Blocker
            {
                Sync = () => Select.Case(a, _ => Assert.Fail("case a ran")).Case(b, _ => Assert.Fail("case b ran")).Run(),
                Cleanup = () => { chanA.Close(); chanB.Close(); },
            };
        },
        ["SelectBuilder.Run with a long timeout"] = static () =>
        {
            var (a, chanA) = Chan.New<int>();
            return new Blocker
            {
                Sync = () => Select.Case(a, _ => Assert.Fail("case ran")).Timeout(TimeSpan.FromMinutes(10), () => Assert.Fail("timeout ran")).Run(),
                Cleanup = chanA.Close,
            };
        },
        ["JoinHandle.Join of another task"] = static () => JoinBlocker(static other => () => other.Join()),
        ["JoinHandle<T>.Join of another task"] = static () => JoinBlocker(static other => () => other.Join()),
        ["DuplexStream.Recv"] = static () =>
        {
            var (left, right) = DuplexStream.New<int, int>();
            return new Blocker { Sync = () => left.Recv(), Cleanup = () => { left.Close(); right.Close(); } };
        },
    };

    private static readonly Dictionary<string, Func<Blocker>> AsyncBlockers = new()
    {
        ["Port.RecvAsync"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            return new Blocker { Async = async () => await port.RecvAsync(), Cleanup = chan.Close };
        },
        ["Port.WaitToRecvAsync"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            return new Blocker { Async = async () => await port.WaitToRecvAsync(), Cleanup = chan.Close };
        },
        ["await foreach over a port"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            return new Blocker
            {
                Async = async () =>
                {
                    await foreach (int message in port)
                    {
                        Assert.Fail($"Unexpected message {message}.");
                    }
                },
                Cleanup = chan.Close,
            };
        },
        ["Chan.SendAsync on a full bounded chan"] = static () =>
        {
            var (port, chan) = Chan.New<int>(1);
            chan.Send(0);
            return new Blocker
            {
                Async = async () => await chan.SendAsync(1),
                AssertAfterKill = () => AssertOnlyMessage(port, 0),
                Cleanup = port.Dispose,
            };
        },
        ["Chan.SendAsync on a rendezvous chan"] = static () =>
        {
            var (port, chan) = Chan.New<int>(0);
            return new Blocker
            {
                Async = async () => await chan.SendAsync(1),
                AssertAfterKill = () => Assert.False(port.TryRecv(out _), "a killed rendezvous send delivered its message"),
                Cleanup = port.Dispose,
            };
        },
        ["SharedChan.SendAsync on a full bounded chan"] = static () =>
        {
            var (port, chan) = SharedChan.New<int>(1);
            chan.Send(0);
            return new Blocker
            {
                Async = async () => await chan.SendAsync(1),
                AssertAfterKill = () => AssertOnlyMessage(port, 0),
                Cleanup = port.Dispose,
            };
        },
        ["Select.RecvAsync"] = static () =>
        {
            var (a, chanA) = Chan.New<int>();
            var (b, chanB) = Chan.New<int>();
            return new Blocker { Async = async () => await Select.RecvAsync([a, b]), Cleanup = () => { chanA.Close(); chanB.Close(); } };
        },
        ["SelectBuilder.RunAsync"] = static () =>
        {
            var (a, chanA) = Chan.New<int>();
            var (b, chanB) = Chan.New<string>();
            return new Blocker
            {
                Async = () => Select.Case(a, _ => Assert.Fail("case a ran")).Case(b, _ => Assert.Fail("case b ran")).RunAsync(),
                Cleanup = () => { chanA.Close(); chanB.Close(); },
            };
        },
        ["JoinHandle.JoinAsync of another task"] = static () => JoinBlocker(static other => async () => await other.JoinAsync()),
        ["await of another task's handle"] = static () => JoinBlocker(static other => async () => await other),
    };

    public static TheoryData<string> SyncOperations => new(SyncBlockers.Keys);

    public static TheoryData<string> AsyncOperations => new(AsyncBlockers.Keys);

    [Theory]
    [MemberData(nameof(SyncOperations))]
    public async Task Kill_TaskBlockedInASyncOperation_WakesItWithTaskKilledException(string operation)
    {
        Blocker blocker = SyncBlockers[operation]();
        var thread = new TaskCompletionSource<Thread>(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? seen = null;
        JoinHandle handle = Spawn(() =>
        {
            thread.SetResult(Thread.CurrentThread);
            try
            {
                blocker.Sync!();
            }
            catch (Exception e)
            {
                seen = e;
                throw;
            }
        });

        try
        {
            // The body's thread parks in the operation: from here on only the kill can wake it.
            await Bounded.UntilBlockedAsync(await thread.Task.Within());
            Assert.Equal(TaskState.Running, handle.Status);

            handle.Kill();
            Result result = await handle.JoinWithin();

            Assert.IsType<TaskKilledException>(seen);
            Assert.Equal(TaskState.Killed, handle.Status);
            Assert.True(result.Error!.IsKill);
            Assert.Same(seen, result.Error.Exception);
            blocker.AssertAfterKill();
        }
        finally
        {
            blocker.Cleanup();
        }
    }

    [Theory]
    [MemberData(nameof(AsyncOperations))]
    public async Task Kill_TaskAwaitingAnAsyncOperation_WakesItWithTaskKilledException(string operation)
    {
        Blocker blocker = AsyncBlockers[operation]();
        var pending = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? seen = null;
        JoinHandle handle = Spawn(async () =>
        {
            Task op = blocker.Async!();
            pending.SetResult(op);
            try
            {
                await op;
            }
            catch (Exception e)
            {
                seen = e;
                throw;
            }
        });

        try
        {
            Task op = await pending.Task.Within();
            Assert.False(op.IsCompleted, $"{operation} should be waiting before the kill");

            handle.Kill();

            await Assert.ThrowsAsync<TaskKilledException>(() => op.Within());
            Result result = await handle.JoinWithin();
            Assert.IsType<TaskKilledException>(seen);
            Assert.Equal(TaskState.Killed, handle.Status);
            Assert.True(result.Error!.IsKill);
            blocker.AssertAfterKill();
        }
        finally
        {
            blocker.Cleanup();
        }
    }

    [Fact]
    public async Task Kill_BeforeTheBodyStarts_TheBodyNeverRunsAndTheTaskEndsKilled()
    {
        using Scheduler one = Scheduler.WithParallelism(1);
        var (gate, release) = Chan.New<int>();
        var holderRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JoinHandle holder = Spawn(
            () =>
            {
                holderRunning.SetResult();
                gate.Recv();
            },
            new SpawnOptions { Scheduler = one });
        await holderRunning.Task.Within();

        bool ran = false;
        JoinHandle queued = Spawn(() => ran = true, new SpawnOptions { Scheduler = one });
        queued.Kill();
        release.Send(1);

        Result result = await queued.JoinWithin();
        await holder.Within();
        Assert.False(ran);
        Assert.Equal(TaskState.Killed, queued.Status);
        Assert.IsType<TaskKilledException>(result.Error!.Exception);
    }

    [Fact]
    public async Task Kill_AfterTheTaskCompleted_ChangesNothing()
    {
        JoinHandle<int> handle = Spawn(() => 3);
        await handle.Within();

        handle.Kill();

        Assert.Equal(TaskState.Completed, handle.Status);
        Assert.Equal(3, (await handle.JoinWithin()).Value);
    }

    [Fact]
    public async Task Kill_BodyCatchesTheKillAndReturns_StillEndsKilled()
    {
        var (port, chan) = Chan.New<int>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool caught = false;
        JoinHandle<int> handle = Spawn(async () =>
        {
            started.SetResult();
            try
            {
                return await port.RecvAsync();
            }
            catch (TaskKilledException)
            {
                caught = true;
                return -1;
            }
        });

        await started.Task.Within();
        handle.Kill();
        Result<int> result = await handle.JoinWithin();

        Assert.True(caught);
        Assert.Equal(TaskState.Killed, handle.Status);
        Assert.True(result.Error!.IsKill);
        GC.KeepAlive(chan);
    }

    [Fact]
    public async Task Kill_IsCooperative_ABodyThatNeverWaitsRunsUntilItLooksAtItsKillToken()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool sawKill = false;
        JoinHandle handle = Spawn(() =>
        {
            CancellationToken kill = Current!.KillToken;
            started.SetResult();
            sawKill = SpinWait.SpinUntil(() => kill.IsCancellationRequested, Bounded.Timeout);
        });
        await started.Task.Within();
        Assert.Equal(TaskState.Running, handle.Status);

        handle.Kill();
        await handle.JoinWithin();

        Assert.True(sawKill);
        Assert.Equal(TaskState.Killed, handle.Status);
    }

    [Fact]
    public async Task Kill_TokenPassedToTheBodysOwnAwaits_StopsThemAndTheTaskEndsKilled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JoinHandle handle = Spawn(async () =>
        {
            Task delay = Task.Delay(Timeout.Infinite, Current!.KillToken);
            started.SetResult();
            await delay;
        });
        await started.Task.Within();

        handle.Kill();
        Result result = await handle.JoinWithin();

        Assert.Equal(TaskState.Killed, handle.Status);
        Assert.IsType<TaskKilledException>(result.Error!.Exception);
        Assert.IsAssignableFrom<OperationCanceledException>(result.Error.Exception.InnerException);
    }

    [Fact]
    public async Task Yield_InAKilledTask_ThrowsTaskKilledException()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? fromYield = null;
        Exception? fromYieldAsync = null;
        JoinHandle handle = Spawn(async () =>
        {
            // Wait for the kill without waiting in a Flow operation.
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (Current!.KillToken.Register(killed.SetResult))
            {
                started.SetResult();
                await killed.Task;
            }

            fromYield = Record.Exception(Yield);
            fromYieldAsync = await Record.ExceptionAsync(async () => await YieldAsync());
        });

        await started.Task.Within();
        handle.Kill();
        await handle.JoinWithin();

        Assert.IsType<TaskKilledException>(fromYield);
        Assert.IsType<TaskKilledException>(fromYieldAsync);
        Assert.Equal(TaskState.Killed, handle.Status);
    }

    [Fact]
    public async Task Spawn_BodyLetsATaskKilledExceptionEscapeWithoutAKill_EndsKilled()
    {
        var killed = new TaskKilledException();
        JoinHandle handle = Spawn(() => throw killed);

        Result result = await handle.JoinWithin();

        Assert.Equal(TaskState.Killed, handle.Status);
        Assert.Same(killed, result.Error!.Exception);
    }

    [Fact]
    public async Task Await_KilledTask_ThrowsTaskFailedExceptionThatSaysKilled()
    {
        var (port, chan) = Chan.New<int>();
        JoinHandle<int> handle = Spawn(async () => await port.RecvAsync());

        handle.Kill();

        var thrown = await Assert.ThrowsAsync<TaskFailedException>(() => handle.Within());
        Assert.True(thrown.Failure!.IsKill);
        Assert.IsType<TaskKilledException>(thrown.InnerException);
        Assert.Throws<TaskFailedException>(() => handle.Join().Value);
        chan.Close();
    }

    /// <summary>A blocker waiting for another, unrelated task that runs until the cleanup closes its chan.</summary>
    private static Blocker JoinBlocker(Func<JoinHandle<int>, Action> wait)
    {
        var (port, chan) = Chan.New<int>();
        JoinHandle<int> other = Spawn(() => port.Iter().Sum());
        return new Blocker
        {
            Sync = wait(other),
            AssertAfterKill = () => Assert.Equal(TaskState.Running, other.Status),
            Cleanup = () =>
            {
                chan.Close();
                Assert.True(other.JoinAsync().Wait(Bounded.Timeout), "the joined task ends once its chan closes");
            },
        };
    }

    private static Blocker JoinBlocker(Func<JoinHandle<int>, Func<Task>> wait)
    {
        var (port, chan) = Chan.New<int>();
        JoinHandle<int> other = Spawn(() => port.Iter().Sum());
        return new Blocker
        {
            Async = wait(other),
            AssertAfterKill = () => Assert.Equal(TaskState.Running, other.Status),
            Cleanup = () =>
            {
                chan.Close();
                Assert.True(other.JoinAsync().Wait(Bounded.Timeout), "the joined task ends once its chan closes");
            },
        };
    }

    /// <summary>The port holds exactly <paramref name="expected"/>: the killed send left nothing behind.</summary>
    private static void AssertOnlyMessage(Port<int> port, int expected)
    {
        Assert.True(port.TryRecv(out int first));
        Assert.Equal(expected, first);
        Assert.False(port.TryRecv(out _), "a killed send delivered its message");
    }
}
