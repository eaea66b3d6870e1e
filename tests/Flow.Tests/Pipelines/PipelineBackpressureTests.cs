using static Flow.Tests.Pipelines.PipelineKit;

namespace Flow.Tests.Pipelines;

/// <summary>
/// Bounded parallelism and bounded capacity (DESIGN.md, "Pipelines": <c>Parallelism</c> is a bounded
/// degree of parallelism, <c>Capacity</c> is backpressure). The stage functions count who is inside
/// with <see cref="Interlocked"/>; gates hold them, so nothing depends on timing but the bounded waits.
/// </summary>
public sealed class PipelineBackpressureTests
{
    /// <summary>Counts the callers inside a section and remembers the most at once.</summary>
    private sealed class Occupancy
    {
        private int _inside;
        private int _entered;
        private int _most;

        public int Inside => Volatile.Read(ref _inside);

        public int Entered => Volatile.Read(ref _entered);

        public int Most => Volatile.Read(ref _most);

        public void Enter()
        {
            Interlocked.Increment(ref _entered);
            int now = Interlocked.Increment(ref _inside);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }
        }

        public void Leave() => Interlocked.Decrement(ref _inside);
    }

    [Fact]
    public async Task Parallelism4_RunsFourAtOnce_NeverFive()
    {
        const int Items = 40;
        var occupancy = new Occupancy();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (pipeline, output) = Pipeline.Create<int>()
            .SelectAsync(
                async i =>
                {
                    occupancy.Enter();
                    try
                    {
                        await gate.Task;
                        await Task.Yield();
                        return i;
                    }
                    finally
                    {
                        occupancy.Leave();
                    }
                },
                new StageOptions { Parallelism = 4 })
            .ToPort();

        // All 40 items wait at the stage's input, so a fifth worker would have work at once.
        await SendAll(pipeline, Enumerable.Range(0, Items));

        await Bounded.Eventually(() => occupancy.Inside == 4, "four items are inside the stage at once");

        // Absence is shown by giving a fifth worker time to start while 36 items wait.
        await Task.Delay(100);
        Assert.Equal(4, occupancy.Entered);
        Assert.Equal(4, occupancy.Inside);

        gate.SetResult();
        Assert.Equal(Enumerable.Range(0, Items), await Drain(output));
        await pipeline.Completion.Within();
        Assert.Equal(4, occupancy.Most);
        Assert.Equal(Items, occupancy.Entered);
    }

    [Fact]
    public async Task Parallelism4_SyncStage_NeverMoreThanFour()
    {
        // A sync stage blocks its workers: on a dedicated scheduler of 6 threads the pool cannot
        // be what holds it to 4, the stage's bound must.
        using Scheduler threads = Scheduler.Dedicated(6, "pipes-dop");
        var occupancy = new Occupancy();
        using var gate = new ManualResetEventSlim();
        var (pipeline, output) = Pipeline.Create<int>()
            .Select(
                i =>
                {
                    occupancy.Enter();
                    try
                    {
                        Assert.True(gate.Wait(Bounded.Timeout), "the gate opened");
                        return i;
                    }
                    finally
                    {
                        occupancy.Leave();
                    }
                },
                new StageOptions { Parallelism = 4, Scheduler = threads })
            .ToPort();

        await SendAll(pipeline, Enumerable.Range(0, 20));
        await Bounded.Eventually(() => occupancy.Inside == 4, "four items are inside the stage at once");
        await Task.Delay(100);
        Assert.Equal(4, occupancy.Entered);

        gate.Set();
        Assert.Equal(Enumerable.Range(0, 20), await Drain(output));
        await pipeline.Completion.Within();
        Assert.Equal(4, occupancy.Most);
    }

    [Fact]
    public async Task Capacity10_FiveStages_NeverHoldMoreThanTheirCapacities()
    {
        // Why the bound is 5 × 10 + 2:
        // - each of the five stages has Capacity = 10, and a Dataflow block's bounded capacity counts
        //   everything it holds: items waiting at its input, being processed and (for a Select)
        //   results not yet taken by the next stage. A full stage postpones the offer, so the item
        //   stays with (and counts against) the stage before it;
        // - the input buffer holds InputCapacity = 1 more;
        // - an item is counted as "sent" just before SendAsync starts, so the one send blocked on
        //   a full input counts too.
        // Items leave when the sink's function returns. So sent − finished ≤ 50 + 1 + 1.
        const int Stages = 5;
        const int Capacity = 10;
        const int InputCapacity = 1;
        const int Bound = (Stages * Capacity) + InputCapacity + 1;
        const int Items = 300;

        int sent = 0;
        int finished = 0;
        int most = 0;
        var entered = new int[Stages];
        var sink = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void Observe()
        {
            int now = Volatile.Read(ref sent) - Volatile.Read(ref finished);
            int seen;
            while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen)
            {
            }
        }

        Func<int, int> Stage(int index) => i =>
        {
            Interlocked.Increment(ref entered[index]);
            Observe();
            return i;
        };

        var options = new StageOptions { Capacity = Capacity };
        Pipeline<int> pipeline = Pipeline.Create<int>(new PipelineOptions { InputCapacity = InputCapacity })
            .Select(Stage(0), options)
            .Select(Stage(1), options with { Parallelism = 2 })
            .Select(Stage(2), options)
            .Select(Stage(3), options with { Parallelism = 3, Ordered = false })
            .ForEachAsync(
                async (i, _) =>
                {
                    Interlocked.Increment(ref entered[4]);
                    Observe();

                    // The slow sink: shut until the pipeline has filled up, then a yield per item.
                    await sink.Task;
                    await Task.Yield();
                    Interlocked.Increment(ref finished);
                },
                options);

        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < Items; i++)
            {
                Interlocked.Increment(ref sent);
                Observe();
                await pipeline.SendAsync(i);
            }

            pipeline.Complete();
        });

        // With the sink shut, the pipeline fills to its capacities and the producer stops there.
        await Bounded.Eventually(() => Volatile.Read(ref sent) >= Stages * Capacity, "the pipeline fills up");
        int filled;
        do
        {
            filled = Volatile.Read(ref sent);
            await Task.Delay(50);
        }
        while (filled != Volatile.Read(ref sent));

        Assert.InRange(filled, Stages * Capacity, Bound);
        Assert.InRange(Volatile.Read(ref entered[0]), 1, Items - 1);

        sink.SetResult();
        await producer.Within();
        await pipeline.Completion.Within();

        Assert.Equal(Items, Volatile.Read(ref finished));
        Assert.All(entered, count => Assert.Equal(Items, count));
        Assert.InRange(Volatile.Read(ref most), Stages * Capacity, Bound);
    }
}
