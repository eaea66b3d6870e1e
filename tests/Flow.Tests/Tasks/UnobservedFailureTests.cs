using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using static Flow.Tasks;

namespace Flow.Tests.Tasks;

/// <summary>
/// A failure nobody observed is never silent: once the failed task's handle is unreachable,
/// <see cref="Tasks.UnobservedFailure"/> is raised for it, once. Observed failures and kills are not reported.
/// </summary>
public class UnobservedFailureTests
{
    [Fact]
    public async Task UnobservedFailure_FailedHandleCollected_RaisedOnceForItAndNeverForObservedOrKilledTasks()
    {
        // Names make this test's reports stand out from other tests' running in the same process.
        string prefix = $"unobserved-{Guid.NewGuid():N}-";
        var reports = new ConcurrentQueue<TaskFailure>();
        void OnUnobserved(object? sender, TaskFailureEventArgs e)
        {
            if (e.Failure.TaskName?.StartsWith(prefix, StringComparison.Ordinal) == true)
            {
                reports.Enqueue(e.Failure);
            }
        }

        UnobservedFailure += OnUnobserved;
        try
        {
            Exception lost = SpawnAndForget(prefix);

            await Bounded.UntilAsync(
                () =>
                {
                    // Stale references (a thread's last work item) go away as the pool moves on:
                    // collect again on every poll.
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    return !reports.IsEmpty;
                },
                "the unobserved failure is reported");

            // Every other handle became unreachable at the same time; give their reports, if any
            // were (wrongly) coming, a full collection and a moment to arrive.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Delay(200);

            TaskFailure report = Assert.Single(reports);
            Assert.Equal(prefix + "lost", report.TaskName);
            Assert.Same(lost, report.Exception);
        }
        finally
        {
            UnobservedFailure -= OnUnobserved;
        }
    }

    /// <summary>
    /// Spawns one failed task nobody observes, and failed or killed ones that are observed in each
    /// way the contract names; returns without keeping any handle alive.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException SpawnAndForget(string prefix)
    {
        var lost = new InvalidOperationException("nobody looks at this");
        JoinHandle unobserved = Spawn(() => throw lost, new SpawnOptions { Name = prefix + "lost" });

        JoinHandle joined = Spawn(() => throw new InvalidOperationException("joined"), new SpawnOptions { Name = prefix + "joined" });
        _ = joined.Join();

        JoinHandle awaited = Spawn(() => throw new InvalidOperationException("awaited"), new SpawnOptions { Name = prefix + "awaited" });
        Assert.True(SpinWait.SpinUntil(() => awaited.IsEnded, Bounded.Timeout));
        Assert.Throws<TaskFailedException>(() => awaited.GetAwaiter().GetResult());

        _ = Try(() => throw new InvalidOperationException("tried"), new SpawnOptions { Name = prefix + "tried" });

        JoinHandle monitored = Spawn(() => throw new InvalidOperationException("monitored"), new SpawnOptions { Name = prefix + "monitored" });
        _ = monitored.Monitor();

        var (hold, _) = Chan.New<int>();
        JoinHandle killed = Spawn(() => hold.Recv(), new SpawnOptions { Name = prefix + "killed" });
        killed.Kill();

        var scope = new TaskScope();
        JoinHandle scoped = scope.Spawn(() => throw new InvalidOperationException("scoped"), new SpawnOptions { Name = prefix + "scoped" });

        Assert.True(SpinWait.SpinUntil(() => unobserved.IsEnded && killed.IsEnded && scoped.IsEnded, Bounded.Timeout));
        Assert.Equal(TaskState.Failed, unobserved.Status);
        Assert.Equal(TaskState.Killed, killed.Status);
        return lost;
    }
}
