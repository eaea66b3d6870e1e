using FsCheck;
using FsCheck.Fluent;
using Flow.Properties.Futures;
using static Flow.Properties.Futures.FuturesPropertyConfig;

namespace Flow.Properties.Sync;

/// <summary>
/// The reader-writer law: with any number of writers and readers, sync and async, readers never see
/// a writer's half-done update and no write is lost.
/// </summary>
public class RwArcProperties
{
    [FuturesProperty(30)]
    public Property Readers_NeverSeeAHalfDoneWrite_AndNoWriteIsLost() =>
        Prop.ForAll(Gen.Choose(1, 4).Zip(Gen.Choose(1, 4)).Zip(Gen.Choose(1, 500)).ToArbitrary(), shape =>
        {
            ((int writers, int readers), int writes) = shape;
            RwArc<Pair> arc = RwArc.New(new Pair());

            // Sync reads and writes block a thread while they wait: they get threads of their own.
            using Scheduler blocking = Scheduler.Dedicated(writers + readers, "rw-arc-tasks");
            var onOwnThreads = new SpawnOptions { Scheduler = blocking };
            JoinHandle[] writing =
            [
                .. Enumerable.Range(0, writers).Select(w => global::Flow.Tasks.Spawn(async () =>
                {
                    RwArc<Pair> mine = arc.Clone();
                    for (int i = 0; i < writes; i++)
                    {
                        // The two halves are updated apart; only the write lock keeps them equal to readers.
                        Action<Pair> body = pair =>
                        {
                            pair.Left++;
                            Thread.SpinWait(20);
                            pair.Right++;
                        };
                        if ((w + i) % 2 == 0)
                        {
                            mine.Write(body);
                        }
                        else
                        {
                            await mine.WriteAsync(pair =>
                            {
                                body(pair);
                                return 0;
                            });
                        }
                    }
                }, onOwnThreads)),
            ];
            JoinHandle<int>[] reading =
            [
                .. Enumerable.Range(0, readers).Select(r => global::Flow.Tasks.Spawn(async () =>
                {
                    RwArc<Pair> mine = arc.Clone();
                    int torn = 0;
                    for (int i = 0; i < writes; i++)
                    {
                        bool even = r % 2 == 0
                            ? mine.Read(pair => pair.Left == pair.Right)
                            : await mine.ReadAsync(pair => pair.Left == pair.Right);
                        torn += even ? 0 : 1;
                    }

                    return torn;
                }, onOwnThreads)),
            ];

            foreach (JoinHandle writer in writing)
            {
                Join(writer);
            }

            Assert.All(reading, reader => Assert.Equal(0, Join(reader)));
            Assert.Equal(writers * writes, arc.Read(pair => pair.Left));
            Assert.Equal(writers * writes, arc.Read(pair => pair.Right));
        });

    /// <summary>Two halves a writer updates one after the other.</summary>
    private sealed class Pair
    {
        public int Left;
        public int Right;
    }
}
