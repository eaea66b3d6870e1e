using FsCheck;
using FsCheck.Fluent;
using static Flow.Tasks;

namespace Flow.Properties.Tasks;

/// <summary>Law: a failure ends its own task only, and every task reports exactly its own outcome.</summary>
public class IsolationProperties
{
    /// <summary>One task of a generated set: whether it fails, whether its body is async, the value it returns otherwise.</summary>
    /// <param name="Fails">Throws instead of returning.</param>
    /// <param name="Async">Awaits before it returns or throws.</param>
    /// <param name="Value">What it returns when it does not fail.</param>
    public sealed record TaskPlan(bool Fails, bool Async, int Value)
    {
        /// <inheritdoc />
        public override string ToString() => $"{(Async ? "async " : string.Empty)}{(Fails ? "throws" : $"returns {Value}")}";
    }

    private static readonly Gen<TaskPlan> s_plan =
        from fails in Gen.Elements(false, true)
        from isAsync in Gen.Elements(false, true)
        from value in Gen.Choose(-1_000, 1_000)
        select new TaskPlan(fails, isAsync, value);

    /// <summary>Between 1 and 20 tasks, any subset of them failing; shrinks towards fewer tasks, then fewer failures.</summary>
    private static readonly Arbitrary<TaskPlan[]> s_plans = Arb.From(
        Gen.Choose(1, 20).SelectMany(n => Gen.ArrayOf(s_plan, n)),
        Shrink);

    /// <summary>
    /// For any set of 1..20 isolated tasks where any subset throws, every task that did not throw
    /// delivers its own value intact and ends Completed, and every task that threw ends Failed and
    /// reports its own exception — the very object it threw — with its own id.
    /// </summary>
    /// <returns>The property.</returns>
    [TasksProperty(50)]
    public Property Isolated_EveryTaskReportsExactlyItsOwnOutcome() => Prop.ForAll(s_plans, plans =>
    {
        var thrown = new Exception[plans.Length];
        var handles = new JoinHandle<int>[plans.Length];
        for (int i = 0; i < plans.Length; i++)
        {
            TaskPlan plan = plans[i];
            Exception failure = thrown[i] = new InvalidOperationException($"task {i} fails");
            handles[i] = plan.Async
                ? Spawn(async () =>
                {
                    await Task.Yield();
                    return plan.Fails ? throw failure : plan.Value;
                })
                : Spawn(() => plan.Fails ? throw failure : plan.Value);
        }

        for (int i = 0; i < plans.Length; i++)
        {
            Result<int> result = TaskLawKit.Join(handles[i], $"task {i}");
            if (plans[i].Fails)
            {
                Assert.Equal(TaskState.Failed, handles[i].Status);
                Assert.Same(thrown[i], result.Error!.Exception);
                Assert.Equal(handles[i].Id, result.Error.TaskId);
            }
            else
            {
                Assert.Equal(TaskState.Completed, handles[i].Status);
                Assert.True(result.IsOk, $"task {i} should be Ok, was {result}");
                Assert.Equal(plans[i].Value, result.Value);
            }
        }
    });

    private static IEnumerable<TaskPlan[]> Shrink(TaskPlan[] plans)
    {
        for (int i = 0; plans.Length > 1 && i < plans.Length; i++)
        {
            yield return [.. plans[..i], .. plans[(i + 1)..]];
        }

        for (int i = 0; i < plans.Length; i++)
        {
            if (plans[i].Fails || plans[i].Async)
            {
                TaskPlan[] simpler = [.. plans];
                simpler[i] = plans[i] with { Fails = false, Async = false };
                yield return simpler;
            }
        }
    }
}
