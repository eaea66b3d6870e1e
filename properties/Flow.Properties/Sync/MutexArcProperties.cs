using FsCheck;
using FsCheck.Fluent;
using Flow.Properties.Futures;
using static Flow.Properties.Futures.FuturesPropertyConfig;

namespace Flow.Properties.Sync;

/// <summary>
/// The mutex law: k tasks each adding one n times through a mutex arc end at k·n, whichever way
/// each takes the lock, and every increment sees a different count.
/// </summary>
public class MutexArcProperties
{
    /// <summary>How a task takes the lock.</summary>
    public enum Form
    {
        AccessFunc,
        AccessAction,
        Update,
        AccessAsyncSyncBody,
        AccessAsyncAsyncBody,
        UpdateAsync,
    }

    /// <summary>k tasks (one form each) adding one n times.</summary>
    public sealed record IncrementPlan(Form[] Tasks, int Increments)
    {
        public override string ToString() => $"{Tasks.Length} tasks [{string.Join(", ", Tasks)}] × {Increments}";
    }

    private static Gen<IncrementPlan> IncrementPlans =>
        from k in Gen.Choose(1, 8)
        from forms in Gen.ArrayOf(Gen.Elements(Enum.GetValues<Form>()), k)
        from n in Gen.Choose(1, 2000)
        select new IncrementPlan(forms, n);

    [FuturesProperty(30)]
    public Property Increments_FromKTasksNTimesEach_SumToKTimesN() =>
        Prop.ForAll(IncrementPlans.ToArbitrary(), plan =>
        {
            MutexArc<Counter> arc = MutexArc.New(new Counter());

            // The sync forms block a thread while they wait: give them threads of their own, as Flow
            // says to for blocking bodies, so the async waiters' continuations always find a pool thread.
            using Scheduler blocking = Scheduler.Dedicated(plan.Tasks.Length, "mutex-arc-tasks");
            JoinHandle<List<int>>[] tasks =
            [
                .. plan.Tasks.Select(form =>
                {
                    MutexArc<Counter> mine = arc.Clone();
                    return global::Flow.Tasks.Spawn(() => AddOnes(mine, form, plan.Increments), new SpawnOptions { Scheduler = blocking });
                }),
            ];

            // The counts each increment saw (from the forms that return one) are all different.
            List<int> seen = [.. tasks.SelectMany(Join)];
            int total = plan.Tasks.Length * plan.Increments;

            Assert.Equal(total, arc.Access(c => c.Value));
            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.All(seen, count => Assert.InRange(count, 1, total));
            Assert.False(arc.IsPoisoned);
        });

    private static async Task<List<int>> AddOnes(MutexArc<Counter> arc, Form form, int times)
    {
        var seen = new List<int>();
        for (int i = 0; i < times; i++)
        {
            switch (form)
            {
                case Form.AccessFunc:
                    seen.Add(arc.Access(c => ++c.Value));
                    break;
                case Form.AccessAction:
                    arc.Access(c => c.Value++);
                    break;
                case Form.Update:
                    arc.Update(c =>
                    {
                        c.Value++;
                        return c;
                    });
                    break;
                case Form.AccessAsyncSyncBody:
                    seen.Add(await arc.AccessAsync(c => ++c.Value));
                    break;
                case Form.AccessAsyncAsyncBody:
                    seen.Add(await arc.AccessAsync(async c =>
                    {
                        // Held across the await: nobody else may slip in between the read and the write.
                        int before = c.Value;
                        if (i % 64 == 0)
                        {
                            await Task.Yield();
                        }

                        c.Value = before + 1;
                        return c.Value;
                    }));
                    break;
                default:
                    await arc.UpdateAsync(c =>
                    {
                        c.Value++;
                        return c;
                    });
                    break;
            }
        }

        return seen;
    }

    /// <summary>A count read and written without atomics: only the lock keeps it right.</summary>
    private sealed class Counter
    {
        public int Value;
    }
}
