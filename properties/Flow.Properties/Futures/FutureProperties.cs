using System.Threading.Tasks.Dataflow;
using FsCheck;
using FsCheck.Fluent;
using static Flow.Properties.Futures.FuturesPropertyConfig;

namespace Flow.Properties.Futures;

/// <summary>Laws of <see cref="Future{T}"/>: one outcome, the same for every read from every task.</summary>
public class FutureProperties
{
    /// <summary>Where the future's outcome comes from.</summary>
    public enum Source
    {
        SpawnSync,
        SpawnAsync,
        Promise,
        FromValue,
        FromPort,
    }

    /// <summary>How a reader task reads the future.</summary>
    public enum ReadStyle
    {
        Get,
        GetAsync,
        Await,
        ReceiveAsync,
    }

    /// <summary>A future's source and outcome, and who reads it how often.</summary>
    public sealed record ReadPlan(Source Source, string? Value, bool Fails, ReadStyle[] Readers, int ReadsEach)
    {
        public override string ToString() =>
            $"{Source} {(Fails ? "failing" : $"'{Value}'")}, readers [{string.Join(", ", Readers)}] × {ReadsEach}";
    }

    private static Gen<ReadPlan> Plans =>
        from source in Gen.Elements(Enum.GetValues<Source>())
        from value in ArbMap.Default.GeneratorFor<string?>()
        from fails in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from readerCount in Gen.Choose(1, 12)
        from readers in Gen.ArrayOf(Gen.Elements(Enum.GetValues<ReadStyle>()), readerCount)
        from readsEach in Gen.Choose(1, 10)
        select new ReadPlan(source, value, fails && source != Source.FromValue, readers, readsEach);

    [FuturesProperty(30)]
    public Property Get_ReturnsTheSameOutcome_HoweverOftenAndFromHoweverManyTasks() =>
        Prop.ForAll(Plans.ToArbitrary(), plan =>
        {
            var boom = new InvalidOperationException("the computation failed");
            using var release = new ManualResetEventSlim();
            int bodyRuns = 0;
            Chan<string?>? chan = null;
            Promise<string?> promise = default;
            Future<string?> future;
            switch (plan.Source)
            {
                case Source.SpawnSync:
                    future = Future.Spawn(() =>
                    {
                        Interlocked.Increment(ref bodyRuns);
                        release.Wait(WaitLimit);
                        return plan.Fails ? throw boom : plan.Value;
                    });
                    break;
                case Source.SpawnAsync:
                    future = Future.Spawn(async () =>
                    {
                        Interlocked.Increment(ref bodyRuns);
                        await Task.Run(() => release.Wait(WaitLimit));
                        return plan.Fails ? throw boom : plan.Value;
                    });
                    break;
                case Source.Promise:
                    (future, promise) = Future.New<string?>();
                    break;
                case Source.FromPort:
                    Port<string?> port;
                    (port, chan) = Chan.New<string?>();
                    future = Future.FromPort(port);
                    break;
                default:
                    future = Future.FromValue(plan.Value);
                    break;
            }

            // Blocking readers get threads of their own, so they cannot starve the computation.
            using Scheduler blocking = Scheduler.Dedicated(plan.Readers.Length, "future-readers");
            JoinHandle<object?[]>[] readers =
            [
                .. plan.Readers.Select(style => style == ReadStyle.Get
                    ? global::Flow.Tasks.Spawn(() => ReadAll(future, style, plan.ReadsEach).GetAwaiter().GetResult(), new SpawnOptions { Scheduler = blocking })
                    : global::Flow.Tasks.Spawn(() => ReadAll(future, style, plan.ReadsEach))),
            ];

            release.Set();
            switch (plan.Source)
            {
                case Source.Promise when plan.Fails:
                    promise.Fail(boom);
                    break;
                case Source.Promise:
                    promise.Complete(plan.Value);
                    break;
                case Source.FromPort when plan.Fails:
                    chan!.Fail(boom);
                    break;
                case Source.FromPort:
                    chan!.Send(plan.Value);
                    chan.Close();
                    break;
            }

            object?[] outcomes = [.. readers.SelectMany(Join)];

            Assert.Equal(plan.Readers.Length * plan.ReadsEach, outcomes.Length);
            if (!plan.Fails)
            {
                Assert.All(outcomes, outcome => Assert.Same(plan.Value, outcome));
            }
            else
            {
                // Every read carries the one failure: the same exception object, the original one
                // (or, from a port, the closure that carries it).
                Exception first = Assert.IsType<TaskFailedException>(outcomes[0]).InnerException!;
                Exception original = plan.Source == Source.FromPort ? Assert.IsType<ChannelClosedException>(first).InnerException! : first;
                Assert.Same(boom, original);
                Assert.All(outcomes, outcome => Assert.Same(first, Assert.IsType<TaskFailedException>(outcome).InnerException));
            }

            Assert.Equal(plan.Source is Source.SpawnSync or Source.SpawnAsync ? 1 : 0, bodyRuns);
            Assert.True(future.IsReady);
            Assert.Equal(plan.Fails, future.IsFailed);
        });

    /// <summary>Reads <paramref name="future"/> <paramref name="times"/> times; each outcome is the value or the exception thrown.</summary>
    private static async Task<object?[]> ReadAll(Future<string?> future, ReadStyle style, int times)
    {
        var outcomes = new object?[times];
        for (int i = 0; i < times; i++)
        {
            try
            {
                outcomes[i] = style switch
                {
                    ReadStyle.Get => future.Get(),
                    ReadStyle.GetAsync => await future.GetAsync(),
                    ReadStyle.Await => await future,

                    // A Dataflow receive of a failed source reports "no value", not the failure: read that one with Get.
                    _ => await DataflowBlock.OutputAvailableAsync(future) ? await DataflowBlock.ReceiveAsync(future) : future.Get(),
                };
            }
            catch (TaskFailedException e)
            {
                outcomes[i] = e;
            }
        }

        return outcomes;
    }
}
