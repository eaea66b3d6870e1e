using System.Collections.Concurrent;
using Flow.Tests.Futures;
using static Flow.Tasks;
using static Flow.Tests.Futures.FuturesBounded;

namespace Flow.Tests.Sync;

/// <summary>
/// A mutex arc runs one body at a time on the shared value, serves waiters in arrival order, waits
/// without blocking a thread in its async forms, and is poisoned by a body that throws.
/// </summary>
public class MutexArcTests
{
    /// <summary>Every way to run a body with the lock, by name; each body adds one to the counter, or throws what it is given.</summary>
    private static readonly Dictionary<string, Func<MutexArc<Counter>, Exception?, Task>> Forms = new()
    {
        ["Access(Func)"] = static (arc, boom) => Task.FromResult(arc.Access(c => AddOne(c, boom))),
        ["Access(Action)"] = static (arc, boom) =>
        {
            arc.Access(c =>
            {
                c.Value++;
                ThrowIf(boom);
            });
            return Task.CompletedTask;
        },
        ["Update"] = static (arc, boom) =>
        {
            arc.Update(c =>
            {
                c.Value++;
                ThrowIf(boom);
                return c;
            });
            return Task.CompletedTask;
        },
        ["AccessAsync(sync body)"] = static (arc, boom) => arc.AccessAsync(c => AddOne(c, boom)),
        ["AccessAsync(async body)"] = static (arc, boom) => arc.AccessAsync(async c =>
        {
            await Task.Yield();
            return AddOne(c, boom);
        }),
        ["UpdateAsync"] = static (arc, boom) => arc.UpdateAsync(c =>
        {
            c.Value++;
            ThrowIf(boom);
            return c;
        }),
    };

    public static TheoryData<string> FormNames => [.. Forms.Keys];

    [Fact]
    public void Access_Func_ReturnsWhatTheBodyReturns()
    {
        MutexArc<List<int>> arc = MutexArc.New(new List<int> { 1, 2, 3 });

        Assert.Equal(6, arc.Access(list => list.Sum()));
    }

    [Fact]
    public void Access_Action_MutatesTheSharedValue_SeenThroughClones()
    {
        MutexArc<List<int>> arc = MutexArc.New(new List<int>());
        MutexArc<List<int>> clone = arc.Clone();

        arc.Access(list => list.Add(1));
        clone.Access(list => list.Add(2));

        Assert.Equal([1, 2], arc.Access(list => list.ToArray()));
        Assert.Equal([1, 2], clone.Access(list => list.ToArray()));
    }

    [Fact]
    public async Task Update_ReplacesTheValue_SoValueTypesWork()
    {
        MutexArc<int> arc = MutexArc.New(40);

        arc.Update(v => v + 1);
        await arc.UpdateAsync(v => v + 1);

        Assert.Equal(42, arc.Access(v => v));
        Assert.Equal(42, await arc.Clone().AccessAsync(v => v));
    }

    [Fact]
    public async Task AccessAsync_SyncAndAsyncBodies_ReturnWhatTheBodyReturns()
    {
        MutexArc<List<int>> arc = MutexArc.New(new List<int> { 5 });

        Assert.Equal(5, await arc.AccessAsync(list => list[0]).Within());
        Assert.Equal(6, await arc.AccessAsync(async list =>
        {
            await Task.Yield();
            list.Add(6);
            return list[^1];
        }).Within());
        Assert.Equal([5, 6], arc.Access(list => list.ToArray()));
    }

    [Theory]
    [MemberData(nameof(FormNames))]
    public async Task EveryForm_NullBody_ThrowsArgumentNull(string form)
    {
        MutexArc<Counter> arc = MutexArc.New(new Counter());

        Task call = form switch
        {
            "Access(Func)" => Run(() => arc.Access((Func<Counter, int>)null!)),
            "Access(Action)" => Run(() => arc.Access((Action<Counter>)null!)),
            "Update" => Run(() => arc.Update(null!)),
            "AccessAsync(sync body)" => arc.AccessAsync((Func<Counter, int>)null!),
            "AccessAsync(async body)" => arc.AccessAsync((Func<Counter, Task<int>>)null!),
            "UpdateAsync" => arc.UpdateAsync(null!),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };

        await Assert.ThrowsAsync<ArgumentNullException>(() => call);
        Assert.Equal(1, await arc.AccessAsync(c => ++c.Value).Within());

        static Task Run(Action action)
        {
            try
            {
                action();
                return Task.CompletedTask;
            }
            catch (Exception e)
            {
                return Task.FromException(e);
            }
        }
    }

    [Fact]
    public async Task AccessAsync_AsyncBody_HoldsTheLockAcrossItsAwaits()
    {
        MutexArc<List<string>> arc = MutexArc.New(new List<string>());
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> holder = arc.AccessAsync(async list =>
        {
            list.Add("holder before await");
            await resume.Task;
            list.Add("holder after await");
            return 0;
        });

        Task<string[]> blocked = OnOwnThread(() => arc.Access(list => list.ToArray()));
        Task<string[]> queued = arc.AccessAsync(list => list.ToArray());
        Assert.False(queued.IsCompleted);
        resume.SetResult();

        await holder.Within();
        Assert.Equal(["holder before await", "holder after await"], await blocked.Within());
        Assert.Equal(["holder before await", "holder after await"], await queued.Within());
    }

    [Fact]
    public async Task Access_ConcurrentBodies_RunOneAtATime_AndLoseNoUpdate()
    {
        const int Workers = 6;
        const int Increments = 5_000;
        MutexArc<Counter> arc = MutexArc.New(new Counter());
        int inside = 0;
        int mostInside = 0;
        string[] names = [.. Forms.Keys];
        Task[] workers =
        [
            .. Enumerable.Range(0, Workers).Select(w => OnOwnThread(() =>
            {
                Func<MutexArc<Counter>, Exception?, Task> form = Forms[names[w % names.Length]];
                MutexArc<Counter> mine = arc.Clone();
                for (int i = 0; i < Increments; i++)
                {
                    mine.Access(c =>
                    {
                        int now = Interlocked.Increment(ref inside);
                        InterlockedMax(ref mostInside, now);
                        Interlocked.Decrement(ref inside);
                    });
                    form(mine, null).Wait(FuturesBounded.Timeout);
                }
            })),
        ];

        await Task.WhenAll(workers).Within();

        Assert.Equal(Workers * Increments, arc.Access(c => c.Value));
        Assert.Equal(1, mostInside);
    }

    [Fact]
    public async Task AccessAsync_Waiters_AreServedInArrivalOrder()
    {
        const int Waiters = 200;
        MutexArc<List<int>> arc = MutexArc.New(new List<int>());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> holder = arc.AccessAsync(async _ =>
        {
            await release.Task;
            return -1;
        });
        Task[] waiters =
        [
            .. Enumerable.Range(0, Waiters).Select(i => i % 3 == 0
                ? arc.UpdateAsync(list => [.. list, i])
                : (Task)arc.AccessAsync(list =>
                {
                    list.Add(i);
                    return i;
                })),
        ];

        release.SetResult();

        await Task.WhenAll(waiters.Prepend(holder)).Within();
        Assert.Equal(Enumerable.Range(0, Waiters), arc.Access(list => list.ToArray()));
    }

    [Fact]
    public async Task Access_BlockingAndAsyncWaiters_AreServedInArrivalOrder()
    {
        MutexArc<ConcurrentQueue<string>> arc = MutexArc.New(new ConcurrentQueue<string>());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> holder = arc.AccessAsync(async _ =>
        {
            await release.Task;
            return 0;
        });
        Task first = await BlockedAccess(arc, "first (blocking)");
        Task second = arc.AccessAsync(q => Enqueue(q, "second (async)"));
        Task third = await BlockedAccess(arc, "third (blocking)");
        Task fourth = arc.AccessAsync(q => Enqueue(q, "fourth (async)"));

        release.SetResult();

        await Task.WhenAll(holder, first, second, third, fourth).Within();
        Assert.Equal(["first (blocking)", "second (async)", "third (blocking)", "fourth (async)"], arc.Access(q => q.ToArray()));

        static int Enqueue(ConcurrentQueue<string> queue, string item)
        {
            queue.Enqueue(item);
            return queue.Count;
        }

        static async Task<Task> BlockedAccess(MutexArc<ConcurrentQueue<string>> arc, string name)
        {
            Thread? thread = null;
            Task access = OnOwnThread(() =>
            {
                thread = Thread.CurrentThread;
                arc.Access(q => q.Enqueue(name));
            });
            await UntilAsync(() => thread is not null, $"{name} started");
            await UntilBlockedAsync(thread!);
            return access;
        }
    }

    [Fact]
    public async Task AccessAsync_ManyWaiters_DoNotHoldThreadPoolThreads()
    {
        ThreadPool.GetMinThreads(out int minWorkers, out _);
        int waiters = Math.Max(64, minWorkers * 4);
        MutexArc<Counter> arc = MutexArc.New(new Counter());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> holder = arc.AccessAsync(async _ =>
        {
            await release.Task;
            return 0;
        });

        Task<int>[] pending;
        try
        {
            // Each call is made on a thread-pool thread; it must hand the thread back at once.
            Task<Task<int>>[] calls =
            [
                .. Enumerable.Range(0, waiters).Select(_ => Task.Factory.StartNew(
                    () => arc.AccessAsync(c => ++c.Value),
                    CancellationToken.None,
                    TaskCreationOptions.None,
                    TaskScheduler.Default)),
            ];
            pending = await Task.WhenAll(calls).Within();
            Assert.All(pending, p => Assert.False(p.IsCompleted));

            int probe = await Task.Run(() => 42).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(42, probe);
            Assert.False(holder.IsCompleted);
        }
        finally
        {
            release.TrySetResult();
        }

        await Task.WhenAll(pending).Within();
        Assert.Equal(waiters, arc.Access(c => c.Value));
    }

    [Fact]
    public async Task AccessAsync_CancelledWhileWaiting_ThrowsAndTheBodyNeverRuns_AndTheLockStillWorks()
    {
        MutexArc<List<string>> arc = MutexArc.New(new List<string>());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> holder = arc.AccessAsync(async list =>
        {
            await release.Task;
            list.Add("holder");
            return 0;
        });
        using var cts = new CancellationTokenSource();
        Task before = arc.AccessAsync(list => Add(list, "before"));
        Task<int> cancelledSync = arc.AccessAsync(list => Add(list, "cancelled sync body"), cts.Token);
        Task<int> cancelledAsync = arc.AccessAsync(
            async list =>
            {
                await Task.Yield();
                return Add(list, "cancelled async body");
            },
            cts.Token);
        Task cancelledUpdate = arc.UpdateAsync(list => [.. list, "cancelled update"], cts.Token);
        Task after = arc.AccessAsync(list => Add(list, "after"));

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledSync.Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledAsync.Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledUpdate.Within());
        Assert.False(before.IsCompleted);
        release.SetResult();
        await Task.WhenAll(holder, before, after).Within();
        Assert.Equal(["holder", "before", "after"], arc.Access(list => list.ToArray()));
        Assert.Equal(4, await arc.AccessAsync(list => Add(list, "later")).Within());

        static int Add(List<string> list, string item)
        {
            list.Add(item);
            return list.Count;
        }
    }

    [Fact]
    public async Task AccessAsync_WaiterCancelledJustAsTheHolderLeaves_TheLockStaysUsable()
    {
        // Races a waiter's cancellation against the holder's exit, round after round (the two threads
        // meet by spinning, which is cheap enough for many rounds): whichever wins, the holder leaves
        // cleanly, the waiter either ran or was cancelled, and the lock is free afterwards. The holder
        // once found the waiter it had counted gone, threw NullReferenceException from its exit and
        // left the lock held forever.
        const int MaxRounds = 20_000;
        TimeSpan budget = TimeSpan.FromMilliseconds(500);
        MutexArc<Counter> arc = MutexArc.New(new Counter());
        var waiters = new List<Task<int>>(MaxRounds);
        int inside = -1;
        int go = -1;
        bool done = false;
        Task holder = OnOwnThread(() =>
        {
            for (int round = 0; !Volatile.Read(ref done); round++)
            {
                arc.Access(c =>
                {
                    Volatile.Write(ref inside, round);
                    SpinUntil(() => Volatile.Read(ref go) == round, "the waiter queued");
                });
            }
        });
        Task canceller = OnOwnThread(() =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int round = 0; ; round++)
            {
                SpinUntil(() => Volatile.Read(ref inside) == round, "the holder is inside");
                if (round == MaxRounds || clock.Elapsed > budget)
                {
                    // The last round has no waiter: it only lets the holder out.
                    Volatile.Write(ref done, true);
                    Volatile.Write(ref go, round);
                    return;
                }

                using var cts = new CancellationTokenSource();
                waiters.Add(arc.AccessAsync(c => ++c.Value, cts.Token));
                Volatile.Write(ref go, round);
                cts.Cancel();
            }
        });

        await holder.Within();
        await canceller.Within();
        int ran = 0;
        foreach (Task<int> waiter in waiters)
        {
            try
            {
                await waiter.Within();
                ran++;
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.Equal(ran, await arc.AccessAsync(c => c.Value).Within());

        static void SpinUntil(Func<bool> condition, string what)
        {
            if (!SpinWait.SpinUntil(condition, FuturesBounded.Timeout))
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
        }
    }

    [Fact]
    public async Task AccessAsync_TokenCancelledAfterTheLockWasTaken_DoesNotMatter()
    {
        MutexArc<int> arc = MutexArc.New(1);
        using var cts = new CancellationTokenSource();

        int value = await arc.AccessAsync(v => v, cts.Token);
        cts.Cancel();

        Assert.Equal(1, value);
        Assert.Equal(2, await arc.AccessAsync(v => v + 1).Within());
    }

    [Theory]
    [MemberData(nameof(FormNames))]
    public async Task BodyThrows_TheCallRethrowsTheOriginal_AndLaterAccessesThrowPoisoned(string form)
    {
        MutexArc<Counter> arc = MutexArc.New(new Counter());
        var boom = new InvalidOperationException($"{form} failed");

        Exception thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Forms[form](arc, boom).Within());

        Assert.Same(boom, thrown);
        Assert.True(arc.IsPoisoned);
        Assert.True(arc.Clone().IsPoisoned);
        Assert.Contains("poisoned", arc.ToString(), StringComparison.Ordinal);
        foreach (string later in Forms.Keys)
        {
            PoisonedException poisoned = await Assert.ThrowsAsync<PoisonedException>(() => Forms[later](arc.Clone(), null).Within());
            Assert.Same(boom, poisoned.InnerException);
        }

        // Only the failing body ran: none of the poisoned calls touched the value.
        arc.ClearPoison();
        Assert.Equal(1, arc.Access(c => c.Value));
    }

    [Fact]
    public async Task ClearPoison_LetsAccessesRunAgain_OnTheHalfUpdatedValue()
    {
        MutexArc<Counter> arc = MutexArc.New(new Counter());
        MutexArc<Counter> clone = arc.Clone();
        Assert.Throws<InvalidOperationException>(() => arc.Access(c =>
        {
            c.Value = 5;
            throw new InvalidOperationException("half way");
        }));
        Assert.Throws<PoisonedException>(() => clone.Access(c => c.Value));

        clone.ClearPoison();

        Assert.False(arc.IsPoisoned);
        Assert.Equal(5, arc.Access(c => c.Value));
        Assert.Equal(6, await clone.AccessAsync(c => ++c.Value).Within());
        Assert.Equal("MutexArc", arc.ToString());
    }

    [Fact]
    public async Task Poisoned_ByAFailingFlowTask_LaterAccessFromAnotherTaskThrowsPoisoned()
    {
        MutexArc<Counter> arc = MutexArc.New(new Counter());
        var boom = new InvalidOperationException("task died holding the lock");

        JoinHandle failing = Spawn(arc.Clone(), mine => mine.Access(c =>
        {
            c.Value = -1;
            throw boom;
        }));
        Result failed = await failing.JoinWithin();
        JoinHandle<int> later = Spawn(arc.Clone(), mine => mine.Access(c => c.Value));
        Result<int> poisoned = await later.JoinWithin();
        JoinHandle<int> laterAsync = Spawn(arc.Clone(), mine => mine.AccessAsync(c => c.Value));
        Result<int> poisonedAsync = await laterAsync.JoinWithin();

        Assert.Same(boom, failed.Error!.Exception);
        Assert.Equal(TaskState.Failed, failing.Status);
        Assert.Same(boom, Assert.IsType<PoisonedException>(poisoned.Error!.Exception).InnerException);
        Assert.Same(boom, Assert.IsType<PoisonedException>(poisonedAsync.Error!.Exception).InnerException);
        TaskFailedException awaited = await Assert.ThrowsAsync<TaskFailedException>(async () => await later);
        Assert.IsType<PoisonedException>(awaited.InnerException);
    }

    private static int AddOne(Counter counter, Exception? boom)
    {
        counter.Value++;
        ThrowIf(boom);
        return counter.Value;
    }

    private static void ThrowIf(Exception? boom)
    {
        if (boom is not null)
        {
            throw boom;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>A mutable value to share: its field is read and written without atomics, so only the lock keeps it right.</summary>
    internal sealed class Counter
    {
        public int Value;
    }
}
