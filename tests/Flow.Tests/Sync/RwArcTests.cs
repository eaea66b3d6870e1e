using System.Collections.Concurrent;
using System.Diagnostics;
using Flow.Tests.Futures;
using static Flow.Tasks;
using static Flow.Tests.Futures.FuturesBounded;

namespace Flow.Tests.Sync;

/// <summary>
/// An rw arc lets readers in together and a writer in alone; a waiting writer holds back new
/// readers, so it is not starved; only a throwing writer poisons the value.
/// </summary>
public class RwArcTests
{
    [Fact]
    public async Task Read_And_ReadAsync_ReturnWhatTheBodyReturns()
    {
        RwArc<int[]> arc = RwArc.New(Enumerable.Range(1, 3).ToArray());

        Assert.Equal(6, arc.Read(values => values.Sum()));
        Assert.Equal(3, await arc.ReadAsync(values => values.Length).Within());
    }

    [Fact]
    public async Task Write_Forms_MutateTheSharedValue_SeenThroughClones()
    {
        RwArc<List<string>> arc = RwArc.New(new List<string>());
        RwArc<List<string>> clone = arc.Clone();

        arc.Write(list => list.Add("action"));
        Assert.Equal(2, clone.Write(list =>
        {
            list.Add("func");
            return list.Count;
        }));
        Assert.Equal(3, await arc.WriteAsync(list =>
        {
            list.Add("async");
            return list.Count;
        }).Within());

        Assert.Equal(["action", "func", "async"], clone.Read(list => list.ToArray()));
    }

    [Fact]
    public void Update_ReplacesTheValue_SoValueTypesWork()
    {
        RwArc<int> arc = RwArc.New(1);

        arc.Update(v => v * 10);
        arc.Clone().Update(v => v + 2);

        Assert.Equal(12, arc.Read(v => v));
    }

    [Fact]
    public async Task EveryForm_NullBody_ThrowsArgumentNull()
    {
        RwArc<int> arc = RwArc.New(0);

        Assert.Throws<ArgumentNullException>(() => arc.Read<int>(null!));
        Assert.Throws<ArgumentNullException>(() => arc.Write<int>(null!));
        Assert.Throws<ArgumentNullException>(() => arc.Write((Action<int>)null!));
        Assert.Throws<ArgumentNullException>(() => arc.Update(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => arc.ReadAsync<int>(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => arc.WriteAsync<int>(null!));
        Assert.Equal(0, arc.Read(v => v));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Readers_RunInParallel_BothInsideAtOnce(bool async)
    {
        RwArc<int> arc = RwArc.New(7);
        using var bothInside = new Barrier(2);

        // Each reader waits inside its read lock until the other one is inside too: with exclusive
        // readers the first would time out alone.
        Task<bool>[] readers =
        [
            .. Enumerable.Range(0, 2).Select(_ => OnOwnThread(() => async
                ? arc.ReadAsync(_ => bothInside.SignalAndWait(FuturesBounded.Timeout)).Within().GetAwaiter().GetResult()
                : arc.Read(_ => bothInside.SignalAndWait(FuturesBounded.Timeout)))),
        ];

        bool[] met = await Task.WhenAll(readers).Within();

        Assert.Equal([true, true], met);
    }

    [Fact]
    public async Task Writer_ExcludesReaders_ReaderQueuedBehindItSeesTheFinishedWrite()
    {
        RwArc<Box> arc = RwArc.New(new Box());
        using var writerInside = new ManualResetEventSlim();
        using var releaseWriter = new ManualResetEventSlim();
        Task writer = OnOwnThread(() => arc.Write(box =>
        {
            box.Value = -1;
            writerInside.Set();
            releaseWriter.WaitOrFail("the readers are queued");
            box.Value = 1;
        }));
        await Task.Run(() => writerInside.WaitOrFail("the writer is inside")).Within();

        Task<int> asyncReader = arc.ReadAsync(box => box.Value);
        Thread? blockedThread = null;
        Task<int> blockedReader = OnOwnThread(() =>
        {
            blockedThread = Thread.CurrentThread;
            return arc.Read(box => box.Value);
        });
        await UntilAsync(() => blockedThread is not null, "the blocking reader started");
        await UntilBlockedAsync(blockedThread!);
        Assert.False(asyncReader.IsCompleted);
        releaseWriter.Set();

        await writer.Within();
        Assert.Equal(1, await asyncReader.Within());
        Assert.Equal(1, await blockedReader.Within());
    }

    [Fact]
    public async Task Writers_RunOneAtATime_AndLoseNoUpdate()
    {
        const int Writers = 4;
        const int Writes = 5_000;
        RwArc<Box> arc = RwArc.New(new Box());
        int inside = 0;
        bool overlapped = false;
        Task[] writers =
        [
            .. Enumerable.Range(0, Writers).Select(w => OnOwnThread(() =>
            {
                RwArc<Box> mine = arc.Clone();
                for (int i = 0; i < Writes; i++)
                {
                    Action<Box> body = box =>
                    {
                        overlapped |= Interlocked.Increment(ref inside) != 1;
                        box.Value++;
                        Interlocked.Decrement(ref inside);
                    };
                    switch ((w + i) % 3)
                    {
                        case 0:
                            mine.Write(body);
                            break;
                        case 1:
                            mine.WriteAsync(box =>
                            {
                                body(box);
                                return 0;
                            }).Wait(FuturesBounded.Timeout);
                            break;
                        default:
                            mine.Update(box =>
                            {
                                body(box);
                                return box;
                            });
                            break;
                    }

                    // Readers in between must never see a writer inside.
                    overlapped |= mine.Read(_ => Volatile.Read(ref inside) != 0);
                }
            })),
        ];

        await Task.WhenAll(writers).Within();

        Assert.Equal(Writers * Writes, arc.Read(box => box.Value));
        Assert.False(overlapped);
    }

    [Fact]
    public async Task Writer_ContinuousStreamOfReaders_GetsInWithinBoundedTime()
    {
        // Readers relay: each one stays inside until a newer reader came in, so without writer
        // preference there is always a reader inside and a writer would wait forever. A reader
        // that finds nobody coming after it leaves after PartnerWait, which is what lets the
        // writer in once it holds new readers back.
        const int ReaderThreads = 3;
        TimeSpan partnerWait = TimeSpan.FromMilliseconds(100);
        RwArc<Box> arc = RwArc.New(new Box());
        long entries = 0;
        int inside = 0;
        int stop = 0;
        Task[] readers =
        [
            .. Enumerable.Range(0, ReaderThreads).Select(_ => OnOwnThread(() =>
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    arc.Read(box =>
                    {
                        Interlocked.Increment(ref inside);
                        long me = Interlocked.Increment(ref entries);
                        var waiting = Stopwatch.StartNew();
                        var spin = default(SpinWait);
                        while (Interlocked.Read(ref entries) == me && waiting.Elapsed < partnerWait && Volatile.Read(ref stop) == 0)
                        {
                            spin.SpinOnce();
                        }

                        Interlocked.Decrement(ref inside);
                        return box.Value;
                    });
                }
            })),
        ];
        try
        {
            await UntilAsync(() => Interlocked.Read(ref entries) > 200, "the readers are streaming");

            var clock = Stopwatch.StartNew();
            bool aloneInside = await OnOwnThread(() => arc.Write(box =>
            {
                box.Value++;
                return Volatile.Read(ref inside) == 0;
            })).Within();
            TimeSpan waited = clock.Elapsed;
            long entriesAtWrite = Interlocked.Read(ref entries);

            Assert.True(aloneInside, "a reader was inside while the writer was");
            Assert.True(waited < TimeSpan.FromSeconds(5), $"the writer waited {waited}");
            await UntilAsync(() => Interlocked.Read(ref entries) > entriesAtWrite + 50, "the readers go on after the writer");
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            await Task.WhenAll(readers).Within();
        }

        Assert.Equal(1, arc.Read(box => box.Value));
    }

    [Fact]
    public async Task ReadersQueuedBehindAWriter_GoInBeforeTheNextWriter()
    {
        RwArc<ConcurrentQueue<string>> arc = RwArc.New(new ConcurrentQueue<string>());
        using var writerInside = new ManualResetEventSlim();
        using var releaseWriter = new ManualResetEventSlim();
        Task first = OnOwnThread(() => arc.Write(log =>
        {
            writerInside.Set();
            releaseWriter.WaitOrFail("everyone queued");
            log.Enqueue("writer 1");
        }));
        await Task.Run(() => writerInside.WaitOrFail("writer 1 is inside")).Within();

        Task<int> reader1 = arc.ReadAsync(log => Log(log, "reader"));
        Task<int> writer2 = arc.WriteAsync(log => Log(log, "writer 2"));
        Task<int> reader2 = arc.ReadAsync(log => Log(log, "reader"));
        Task<int> writer3 = arc.WriteAsync(log => Log(log, "writer 3"));
        releaseWriter.Set();

        await Task.WhenAll(first, reader1, writer2, reader2, writer3).Within();
        Assert.Equal(["writer 1", "reader", "reader", "writer 2", "writer 3"], arc.Read(log => log.ToArray()));

        static int Log(ConcurrentQueue<string> log, string entry)
        {
            log.Enqueue(entry);
            return log.Count;
        }
    }

    [Theory]
    [InlineData("Write(Func)")]
    [InlineData("Write(Action)")]
    [InlineData("Update")]
    [InlineData("WriteAsync")]
    public async Task WriterThrows_TheCallRethrowsTheOriginal_AndEveryLaterAccessThrowsPoisoned(string form)
    {
        RwArc<Box> arc = RwArc.New(new Box());
        var boom = new InvalidOperationException($"{form} failed");

        Task failing = form switch
        {
            "Write(Func)" => Run(() => arc.Write(box => Half(box, boom))),
            "Write(Action)" => Run(() => arc.Write(box => { Half(box, boom); })),
            "Update" => Run(() => arc.Update(box => Half(box, boom) == 0 ? box : box)),
            "WriteAsync" => arc.WriteAsync(box => Half(box, boom)),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Within()));
        Assert.True(arc.IsPoisoned);
        Assert.True(arc.Clone().IsPoisoned);
        Assert.Contains("poisoned", arc.ToString(), StringComparison.Ordinal);
        bool ran = false;
        Assert.Same(boom, Assert.Throws<PoisonedException>(() => arc.Read(_ => ran = true)).InnerException);
        Assert.Same(boom, (await Assert.ThrowsAsync<PoisonedException>(() => arc.ReadAsync(_ => ran = true).Within())).InnerException);
        Assert.Same(boom, Assert.Throws<PoisonedException>(() => arc.Write(_ => ran = true)).InnerException);
        Assert.Same(boom, Assert.Throws<PoisonedException>(() => arc.Write(_ => { ran = true; })).InnerException);
        Assert.Same(boom, Assert.Throws<PoisonedException>(() => arc.Update(b => { ran = true; return b; })).InnerException);
        Assert.Same(boom, (await Assert.ThrowsAsync<PoisonedException>(() => arc.Clone().WriteAsync(_ => ran = true).Within())).InnerException);
        Assert.False(ran);

        arc.ClearPoison();
        Assert.False(arc.IsPoisoned);
        Assert.Equal(5, arc.Read(box => box.Value));
        Assert.Equal("RwArc", arc.ToString());

        static int Half(Box box, Exception boom)
        {
            box.Value = 5;
            throw boom;
        }

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
    public async Task ReaderThrows_TheCallRethrows_ButTheValueIsNotPoisoned()
    {
        RwArc<Box> arc = RwArc.New(new Box { Value = 3 });
        var boom = new InvalidOperationException("reader failed");

        Assert.Same(boom, Assert.Throws<InvalidOperationException>(() => arc.Read(_ => boom.Throw<int>())));
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => arc.ReadAsync(_ => boom.Throw<int>()).Within()));

        Assert.False(arc.IsPoisoned);
        Assert.Equal(3, arc.Read(box => box.Value));
        Assert.Equal(4, arc.Write(box => ++box.Value));
    }

    [Fact]
    public async Task Poisoned_ByAFailingFlowTask_LaterReadFromAnotherTaskThrowsPoisoned()
    {
        RwArc<Box> arc = RwArc.New(new Box());
        var boom = new InvalidOperationException("writer task died");

        Result failed = await Spawn(arc.Clone(), mine => mine.Write(_ => { throw boom; })).JoinWithin();
        Result<int> later = await Spawn(arc.Clone(), mine => mine.Read(box => box.Value)).JoinWithin();

        Assert.Same(boom, failed.Error!.Exception);
        Assert.Same(boom, Assert.IsType<PoisonedException>(later.Error!.Exception).InnerException);
    }

    /// <summary>A mutable value to share; its field is read and written without atomics.</summary>
    private sealed class Box
    {
        public int Value;
    }
}
