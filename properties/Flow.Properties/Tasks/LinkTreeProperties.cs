using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using static Flow.Tasks;

namespace Flow.Properties.Tasks;

/// <summary>
/// Law: in any tree of tasks, one failure kills exactly the tasks the link modes say it kills —
/// death spreads along Linked edges both ways and along Supervised edges downward only, and
/// Isolated edges stop it.
/// </summary>
public class LinkTreeProperties
{
    /// <summary>
    /// A tree of tasks. Node 0 is the root, spawned from plain code; node i &gt; 0 is spawned by
    /// <c>Parents[i]</c> (always a smaller index) with link mode <c>Modes[i]</c>. Node
    /// <see cref="Failing"/> fails; every other node waits until released.
    /// </summary>
    /// <param name="Parents">The parent of each node; entry 0 is unused (-1).</param>
    /// <param name="Modes">The link mode of the edge from each node's parent; entry 0 is unused.</param>
    /// <param name="Failing">The node that throws.</param>
    public sealed record TreePlan(int[] Parents, LinkMode[] Modes, int Failing)
    {
        public int Count => Parents.Length;

        public IEnumerable<int> Children(int node) => Enumerable.Range(1, Count - 1).Where(c => Parents[c] == node);

        /// <summary>
        /// The model: the nodes that must end Failed or Killed. From the failing node, death goes
        /// down every Linked or Supervised edge and up every Linked edge, transitively.
        /// </summary>
        public HashSet<int> ExpectedDead()
        {
            var dead = new HashSet<int> { Failing };
            var frontier = new Queue<int>([Failing]);
            while (frontier.TryDequeue(out int node))
            {
                foreach (int child in Children(node))
                {
                    if (Modes[child] != LinkMode.Isolated && dead.Add(child))
                    {
                        frontier.Enqueue(child);
                    }
                }

                if (node != 0 && Modes[node] == LinkMode.Linked && dead.Add(Parents[node]))
                {
                    frontier.Enqueue(Parents[node]);
                }
            }

            return dead;
        }

        /// <inheritdoc />
        public override string ToString()
        {
            var text = new StringBuilder($"{Count} nodes, node {Failing} fails:");
            for (int i = 1; i < Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $" {Parents[i]}-{Modes[i]}->{i}");
            }

            return text.ToString();
        }
    }

    private static readonly Gen<TreePlan> s_tree =
        from count in Gen.Choose(1, 15)
        from parents in Gen.CollectToArray(Enumerable.Range(0, count), i => i == 0 ? Gen.Constant(-1) : Gen.Choose(0, i - 1))
        from modes in Gen.CollectToArray(Enumerable.Range(0, count), i => i == 0 ? Gen.Constant(LinkMode.Isolated) : Gen.Elements(LinkMode.Isolated, LinkMode.Linked, LinkMode.Supervised))
        from failing in Gen.Choose(0, count - 1)
        select new TreePlan(parents, modes, failing);

    /// <summary>Trees of 1..15 nodes with any link modes and one failing node; shrinks towards fewer nodes, Isolated edges and a lower failing node.</summary>
    private static readonly Arbitrary<TreePlan> s_trees = Arb.From(s_tree, Shrink);

    /// <summary>
    /// For any tree of up to 15 tasks with any link mode on each edge and exactly one failing
    /// node, the failing node ends Failed with its own exception, exactly the nodes the model
    /// reaches end Killed, and every other node is still running — and completes once released.
    /// Every parent stays alive (awaiting a port) until released, so a death can reach it.
    /// </summary>
    /// <returns>The property.</returns>
    [TasksProperty(30)]
    public Property LinkModes_OneFailure_KillsExactlyWhatTheModelSays() => Prop.ForAll(s_trees, Check);

    private static void Check(TreePlan plan)
    {
        int count = plan.Count;
        var handles = new JoinHandle[count];
        var holds = new (Port<int> Port, Chan<int> Chan)[count];
        for (int i = 0; i < count; i++)
        {
            holds[i] = Chan.New<int>();
        }

        var boom = new InvalidOperationException($"node {plan.Failing} fails");
        var allSpawned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int spawned = 0;

        Func<Task> Body(int node) => async () =>
        {
            foreach (int child in plan.Children(node))
            {
                handles[child] = Spawn(Body(child), new SpawnOptions { Link = plan.Modes[child], Name = $"node-{child}" });
            }

            // Counted only after this node stored its children's handles: when every node has
            // counted, every handle is in place.
            if (Interlocked.Increment(ref spawned) == count)
            {
                allSpawned.SetResult();
            }

            await holds[node].Port.RecvAsync();
            if (node == plan.Failing)
            {
                throw boom;
            }
        };

        handles[0] = Spawn(Body(0), new SpawnOptions { Name = "node-0" });
        TaskLawKit.Wait(allSpawned.Task, "every node to be spawned");

        // Fail the one node. Its death reaches its relatives before its join returns.
        holds[plan.Failing].Chan.Send(1);
        Result failed = TaskLawKit.Join(handles[plan.Failing], $"failing node {plan.Failing}");
        Assert.Equal(TaskState.Failed, handles[plan.Failing].Status);
        Assert.Same(boom, failed.Error!.Exception);

        HashSet<int> dead = plan.ExpectedDead();
        foreach (int node in dead.Where(n => n != plan.Failing))
        {
            Result result = TaskLawKit.Join(handles[node], $"node {node} to be killed");
            Assert.True(handles[node].Status == TaskState.Killed, $"node {node} should be Killed, is {handles[node].Status}");
            Assert.True(result.Error!.IsKill);
        }

        int[] survivors = [.. Enumerable.Range(0, count).Where(n => !dead.Contains(n))];
        foreach (int node in survivors)
        {
            Assert.True(handles[node].Status == TaskState.Running, $"node {node} should still run, is {handles[node].Status}");
        }

        // Released, a survivor completes: it was never even asked to die.
        foreach (int node in survivors)
        {
            holds[node].Chan.Send(1);
        }

        foreach (int node in survivors)
        {
            Result result = TaskLawKit.Join(handles[node], $"surviving node {node}");
            Assert.True(result.IsOk, $"node {node} should complete, ended {handles[node].Status}");
        }
    }

    private static IEnumerable<TreePlan> Shrink(TreePlan plan)
    {
        // Drop the last node (always a leaf, as parents have smaller indices) unless it fails.
        if (plan.Count > 1 && plan.Failing != plan.Count - 1)
        {
            yield return new TreePlan(plan.Parents[..^1], plan.Modes[..^1], plan.Failing);
        }

        // Fail a lower node.
        for (int f = 0; f < plan.Failing; f++)
        {
            yield return plan with { Failing = f };
        }

        // Make one edge Isolated.
        for (int i = 1; i < plan.Count; i++)
        {
            if (plan.Modes[i] != LinkMode.Isolated)
            {
                LinkMode[] modes = [.. plan.Modes];
                modes[i] = LinkMode.Isolated;
                yield return plan with { Modes = modes };
            }
        }
    }
}
