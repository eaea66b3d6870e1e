using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using static Flow.Tasks;

namespace Flow.Tests.Tasks;

/// <summary>
/// Schedulers: WithParallelism bounds how many bodies run at once (awaiting frees the slot),
/// Dedicated runs blocking bodies on threads of its own, both serve TPL and Dataflow and refuse
/// spawns once disposed.
/// </summary>
public class SchedulerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void WithParallelism_LessThanOne_ThrowsArgumentOutOfRange(int n)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Scheduler.WithParallelism(n));
    }

    [Fact]
    public void Dedicated_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Scheduler.Dedicated(0, "none"));
        Assert.Throws<ArgumentNullException>(() => Scheduler.Dedicated(1, null!));
    }

    [Fact]
    public async Task WithParallelism_10000Spawns_NeverRunMoreThanNBodiesAtOnce_AndReachN()
    {
        const int n = 4;
        const int spawns = 10_000;
        using var floor = ThreadPoolFloor.AtLeast(n + 4);
        using Scheduler scheduler = Scheduler.WithParallelism(n);
        var options = new SpawnOptions { Scheduler = scheduler };
        using var reachedN = new ManualResetEventSlim();
        int running = 0;
        int max = 0;
        int ran = 0;

        var handles = new JoinHandle[spawns];
        for (int i = 0; i < spawns; i++)
        {
            handles[i] = Spawn(
                () =>
                {
                    int now = Interlocked.Increment(ref running);
                    InterlockedMax(ref max, now);
                    if (now == n)
                    {
                        reachedN.Set();
                    }

                    // The first bodies hold their slots until n run together (bounded), which
                    // proves the bound is reachable; after that every body passes straight on.
                    reachedN.Wait(Bounded.Timeout);
                    Thread.SpinWait(50);
                    Interlocked.Increment(ref ran);
                    Interlocked.Decrement(ref running);
                },
                options);
        }

        foreach (JoinHandle handle in handles)
        {
            Assert.True((await handle.JoinWithin()).IsOk);
        }

        Assert.Equal(spawns, ran);
        Assert.Equal(0, running);
        Assert.True(max <= n, $"{max} bodies ran at once on a scheduler bounded to {n}");
        Assert.Equal(n, max);
    }

    [Fact]
    public async Task WithParallelism_AsyncBodies_OnlyRunningSegmentsCountAgainstTheBound()
    {
        const int n = 2;
        const int spawns = 2_000;
        using var floor = ThreadPoolFloor.AtLeast(n + 4);
        using Scheduler scheduler = Scheduler.WithParallelism(n);
        var options = new SpawnOptions { Scheduler = scheduler };
        TaskScheduler bounded = scheduler.AsTaskScheduler();
        int running = 0;
        int max = 0;
        int escaped = 0;

        void Segment()
        {
            // Each segment must run as work of the bounded scheduler, not loose on the pool.
            if (TaskScheduler.Current != bounded)
            {
                Interlocked.Increment(ref escaped);
            }

            InterlockedMax(ref max, Interlocked.Increment(ref running));
            Thread.SpinWait(20);
            Interlocked.Decrement(ref running);
        }

        var handles = new JoinHandle[spawns];
        for (int i = 0; i < spawns; i++)
        {
            handles[i] = Spawn(
                async () =>
                {
                    Segment();
                    await Task.Yield();
                    Segment();
                    await YieldAsync();
                    Segment();
                },
                options);
        }

        foreach (JoinHandle handle in handles)
        {
            Assert.True((await handle.JoinWithin()).IsOk);
        }

        Assert.Equal(0, escaped);
        Assert.InRange(max, 1, n);
    }

    [Fact]
    public async Task WithParallelism_One_AnAwaitingBodyFreesItsSlotForAnother()
    {
        using Scheduler one = Scheduler.WithParallelism(1);
        var options = new SpawnOptions { Scheduler = one };
        var (port, chan) = Chan.New<int>();
        var aWaits = new TaskCompletionSource<Task<int>>(TaskCreationOptions.RunContinuationsAsynchronously);

        JoinHandle<int> a = Spawn(
            async () =>
            {
                Task<int> recv = port.RecvAsync().AsTask();
                aWaits.SetResult(recv);
                return await recv + 1;
            },
            options);
        Task<int> aRecv = await aWaits.Task.Within();
        Assert.False(aRecv.IsCompleted, "A waits for a message only B will send");

        // With one slot, B can only run if A's await gave the slot back.
        JoinHandle b = Spawn(() => chan.Send(41), options);

        await b.Within();
        Assert.Equal(42, await a.Within());
    }

    [Fact]
    public async Task Dedicated_200BlockingReceivers_BlockTogetherOnTheirOwnThreads_WhileThePoolStaysFree()
    {
        const int count = 200;
        using Scheduler scheduler = Scheduler.Dedicated(count, "recv");
        var options = new SpawnOptions { Scheduler = scheduler };
        var chans = new Chan<int>[count];
        var threads = new Thread[count];
        var handles = new JoinHandle<int>[count];
        int started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        for (int i = 0; i < count; i++)
        {
            int index = i;
            var (port, chan) = Chan.New<int>();
            chans[i] = chan;
            handles[i] = Spawn(
                () =>
                {
                    threads[index] = Thread.CurrentThread;
                    if (Interlocked.Increment(ref started) == count)
                    {
                        allStarted.SetResult();
                    }

                    return port.Recv();
                },
                options);
        }

        await allStarted.Task.Within();
        foreach (Thread thread in threads)
        {
            await Bounded.UntilBlockedAsync(thread);
        }

        // Every receiver is parked in Recv; thread-pool work still runs at once.
        var clock = Stopwatch.StartNew();
        string? poolThread = await Spawn(() => Thread.CurrentThread.Name).Within();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a thread-pool task took {clock.Elapsed} while 200 dedicated receivers blocked");
        Assert.False(poolThread?.StartsWith("recv-", StringComparison.Ordinal) ?? false);

        for (int i = 0; i < count; i++)
        {
            chans[i].Send(i);
        }

        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            int received = await handles[i].Within();
            Assert.Equal(i, received);
            sum += received;
        }

        Assert.Equal(count * (count - 1) / 2, sum);
        Assert.Equal(count, threads.Distinct().Count());
        Assert.All(threads, t => Assert.StartsWith("recv-", t.Name, StringComparison.Ordinal));
    }

    // Each body suspends in one kind of await and notes its thread right after it; what resumes
    // it comes from elsewhere (the pool, a timer, another task). The await must sit in the body
    // itself: an inner async method would hide an escape, since the body's own await of it
    // comes back to the scheduler anyway. Made in plain code, run as the task's body.
    private static readonly Dictionary<string, Func<Func<Action, Task>>> Awaits = new()
    {
        ["Task.Yield"] = static () => static async note =>
        {
            await Task.Yield();
            note();
        },
        ["Tasks.YieldAsync"] = static () => static async note =>
        {
            await YieldAsync();
            note();
        },
        ["Task.Delay"] = static () => static async note =>
        {
            await Task.Delay(1);
            note();
        },
        ["Port.RecvAsync"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            return async note =>
            {
                _ = Spawn(() => chan.Send(1));
                await port.RecvAsync();
                note();
            };
        },
        ["Chan.SendAsync on a full chan"] = static () =>
        {
            var (port, chan) = Chan.New<int>(1);
            chan.Send(0);
            return async note =>
            {
                _ = Spawn(() => port.Recv());
                await chan.SendAsync(1);
                note();
            };
        },
        ["Select.RecvAsync"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            return async note =>
            {
                _ = Spawn(() => chan.Send(1));
                await Select.RecvAsync([port]);
                note();
            };
        },
        ["SelectBuilder.RunAsync"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            return async note =>
            {
                _ = Spawn(() => chan.Send(1));
                await Select.Case(port, _ => { }).RunAsync();
                note();
            };
        },
        ["await foreach over a port"] = static () =>
        {
            var (port, chan) = Chan.New<int>();
            return async note =>
            {
                _ = Spawn(chan, static c => c.Send(1));
                await foreach (int message in port)
                {
                    note();
                }
            };
        },
        ["await JoinHandle"] = static () => static async note =>
        {
            await Spawn(() => 1);
            note();
        },
        ["JoinHandle.JoinAsync"] = static () => static async note =>
        {
            await Spawn(() => 1).JoinAsync();
            note();
        },
        ["Tasks.TryAsync"] = static () => static async note =>
        {
            await TryAsync(async () => await Task.Yield());
            note();
        },
    };

    public static TheoryData<string> AwaitKinds => new(Awaits.Keys);

    [Theory]
    [MemberData(nameof(AwaitKinds))]
    public async Task Dedicated_AsyncBody_ResumesOnTheDedicatedThreadsAfterTheAwait(string kind)
    {
        using Scheduler scheduler = Scheduler.Dedicated(2, "resume");
        Func<Action, Task> body = Awaits[kind]();
        var after = new List<string?>();

        JoinHandle handle = Spawn(() => body(() => after.Add(Thread.CurrentThread.Name)), new SpawnOptions { Scheduler = scheduler });
        await handle.Within();

        string? resumedOn = Assert.Single(after);
        Assert.True(resumedOn?.StartsWith("resume-", StringComparison.Ordinal) == true, $"after {kind} the body ran on '{resumedOn}'");
    }

    [Fact]
    public async Task Dedicated_NamesItsThreadsNameDashIndex()
    {
        const int threads = 3;
        using Scheduler scheduler = Scheduler.Dedicated(threads, "worker");
        using var together = new Barrier(threads);
        var names = new string?[threads];

        // Three bodies that must all run at once: one per thread.
        JoinHandle[] handles = [.. Enumerable.Range(0, threads).Select(i => Spawn(
            () =>
            {
                names[i] = Thread.CurrentThread.Name;
                Assert.True(together.SignalAndWait(Bounded.Timeout), "three bodies run at once on three threads");
            },
            new SpawnOptions { Scheduler = scheduler }))];
        foreach (JoinHandle handle in handles)
        {
            Assert.True((await handle.JoinWithin()).IsOk);
        }

        Assert.Equal(["worker-0", "worker-1", "worker-2"], names.Order());
        Assert.Equal("worker", scheduler.Name);
        Assert.Equal(threads, scheduler.MaxParallelism);
    }

    [Fact]
    public async Task AsTaskScheduler_Dedicated_RunsTplWorkOnItsThreads()
    {
        using Scheduler scheduler = Scheduler.Dedicated(2, "tpl");
        TaskScheduler tasks = scheduler.AsTaskScheduler();

        string? name = await Task.Factory.StartNew(() => Thread.CurrentThread.Name, CancellationToken.None, TaskCreationOptions.None, tasks).Within();

        Assert.StartsWith("tpl-", name, StringComparison.Ordinal);
        Assert.Equal(2, tasks.MaximumConcurrencyLevel);
    }

    [Fact]
    public async Task AsTaskScheduler_WithParallelism_BoundsAnUnboundedDataflowBlock()
    {
        const int n = 2;
        using var floor = ThreadPoolFloor.AtLeast(n + 4);
        using Scheduler scheduler = Scheduler.WithParallelism(n);
        int running = 0;
        int max = 0;
        int processed = 0;
        var block = new ActionBlock<int>(
            _ =>
            {
                InterlockedMax(ref max, Interlocked.Increment(ref running));
                Thread.SpinWait(200);
                Interlocked.Increment(ref processed);
                Interlocked.Decrement(ref running);
            },
            new ExecutionDataflowBlockOptions { TaskScheduler = scheduler.AsTaskScheduler(), MaxDegreeOfParallelism = DataflowBlockOptions.Unbounded });

        for (int i = 0; i < 1_000; i++)
        {
            block.Post(i);
        }

        block.Complete();
        await block.Completion.Within();

        Assert.Equal(1_000, processed);
        Assert.InRange(max, 1, n);
        Assert.Equal(n, scheduler.AsTaskScheduler().MaximumConcurrencyLevel);
    }

    [Fact]
    public void AsTaskScheduler_Default_IsTheThreadPoolScheduler()
    {
        Assert.Same(TaskScheduler.Default, Scheduler.Default.AsTaskScheduler());
    }

    public static TheoryData<string> DisposableSchedulers => new(["WithParallelism", "Dedicated"]);

    [Theory]
    [MemberData(nameof(DisposableSchedulers))]
    public void Spawn_OnADisposedScheduler_ThrowsObjectDisposedException(string kind)
    {
        Scheduler scheduler = kind == "Dedicated" ? Scheduler.Dedicated(1, "disposed") : Scheduler.WithParallelism(2);
        scheduler.Dispose();
        var options = new SpawnOptions { Scheduler = scheduler };

        Assert.Throws<ObjectDisposedException>(() => Spawn(() => { }, options));
        Assert.Throws<ObjectDisposedException>(() => Spawn(() => 1, options));
        Assert.Throws<ObjectDisposedException>(() => Spawn(async () => await Task.Yield(), options));
        Assert.Throws<ObjectDisposedException>(() => Try(() => 1, options));
        scheduler.Dispose();
    }

    [Theory]
    [MemberData(nameof(DisposableSchedulers))]
    public async Task Dispose_WhileAnAsyncBodyAwaits_TheBodyStillResumesAndEnds(string kind)
    {
        Scheduler scheduler = kind == "Dedicated" ? Scheduler.Dedicated(1, "awaiting") : Scheduler.WithParallelism(1);
        var (port, chan) = Chan.New<int>();
        var (delayed, delayedChan) = Chan.New<int>();
        var options = new SpawnOptions { Scheduler = scheduler };
        var waiting = new TaskCompletionSource<Task<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        JoinHandle<int> flowAwait = Spawn(
            async () =>
            {
                Task<int> recv = port.RecvAsync().AsTask();
                waiting.SetResult(recv);
                return await recv + 1;
            },
            options);
        JoinHandle<int> taskAwait = Spawn(
            async () =>
            {
                await Task.Run(() => delayed.Recv());
                await YieldAsync();
                return 2;
            },
            options);
        Assert.False((await waiting.Task.Within()).IsCompleted);

        scheduler.Dispose();
        chan.Send(1);
        delayedChan.Send(0);

        Assert.Equal(2, await flowAwait.Within());
        Assert.Equal(2, await taskAwait.Within());
    }

    [Fact]
    public async Task Dispose_Default_IsANoOp()
    {
        Scheduler.Default.Dispose();

        Assert.Equal(5, await Spawn(() => 5, new SpawnOptions { Scheduler = Scheduler.Default }).Within());
    }

    [Fact]
    public async Task Dispose_Dedicated_LetsQueuedBodiesFinish()
    {
        Scheduler scheduler = Scheduler.Dedicated(1, "draining");
        var (port, chan) = Chan.New<int>();
        var options = new SpawnOptions { Scheduler = scheduler };
        JoinHandle<int> first = Spawn(() => port.Recv(), options);
        JoinHandle<int> queued = Spawn(() => 2, options);

        scheduler.Dispose();
        chan.Send(1);

        Assert.Equal(1, await first.Within());
        Assert.Equal(2, await queued.Within());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>
    /// Raises the thread pool's minimum worker count for one test, so that reaching a bound of n
    /// concurrent bodies does not wait for the pool's slow thread injection on a 2-core machine.
    /// </summary>
    private sealed class ThreadPoolFloor : IDisposable
    {
        private readonly int _workers;
        private readonly int _io;
        private readonly bool _raised;

        private ThreadPoolFloor(int workers)
        {
            ThreadPool.GetMinThreads(out _workers, out _io);
            _raised = workers > _workers && ThreadPool.SetMinThreads(workers, _io);
        }

        public static ThreadPoolFloor AtLeast(int workers) => new(workers);

        public void Dispose()
        {
            if (_raised)
            {
                ThreadPool.SetMinThreads(_workers, _io);
            }
        }
    }
}
