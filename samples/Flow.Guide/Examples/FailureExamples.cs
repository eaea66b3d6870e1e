// Ported from the Rust guide, "Handling task failure" (guide-tasks.txt), and Flow's failure modes:
// the older guide's linked and supervised tasks, and structured concurrency with TaskScope.
using static Flow.Tasks;

namespace Flow.Guide;

internal static class FailureExamples
{
    private static bool SomeCondition() => true;

    private static int CalculateResult() => 0;

    public static bool TryWithFailingBody(TextWriter output)
    {
        #region try
        Result<int> result = Try(() =>
        {
            if (SomeCondition())
            {
                return CalculateResult();
            }
            else
            {
                throw new InvalidOperationException("oops!");
            }
        });
        bool ok = result.IsOk;

        // Unlike the guide's Err(()), a Flow failure says what failed and why.
        Result<int> failed = Try<int>(() => throw new InvalidOperationException("malformed input"));
        output.WriteLine($"   the failing body's reason: {failed.Error?.Reason}");
        #endregion

        output.WriteLine($"   the first Try is Ok: {ok}");
        return ok && failed.IsErr && failed.Error!.Reason == "malformed input";
    }

    public static bool LinkedVersusSupervised(TextWriter output)
    {
        #region linked-supervised
        // A linked child's failure takes its parent down with it...
        JoinHandle linkedParent = Spawn(() =>
        {
            Spawn(() => throw new InvalidOperationException("linked child failed"), new SpawnOptions { Link = LinkMode.Linked });
            Chan.New<int>().Port.Recv(); // waits until killed
        });

        // ...a supervised child's failure does not.
        JoinHandle supervisingParent = Spawn(() =>
        {
            JoinHandle child = Spawn(() => throw new InvalidOperationException("supervised child failed"), new SpawnOptions { Link = LinkMode.Supervised });
            return child.Join().IsErr;
        });
        #endregion

        Result linked = linkedParent.Join();
        Result supervising = supervisingParent.Join();
        output.WriteLine($"   linked parent: {linkedParent.Status}; supervising parent: {supervisingParent.Status}");
        return linked.IsErr && linkedParent.Status == TaskState.Killed && supervising.IsOk;
    }

    public static async Task<bool> TaskScopeAsync(TextWriter output)
    {
        #region task-scope
        var (never, _) = Chan.New<int>();
        string? reason = null;
        try
        {
            await using var scope = new TaskScope();
            // In async code, discard the handle (`_ =`) as with Task.Run: the scope watches it.
            _ = scope.Spawn(async () => await never.RecvAsync()); // killed when its sibling fails
            _ = scope.Spawn(() => throw new InvalidOperationException("one child failed"));
            await scope.JoinAsync();
        }
        catch (TaskFailedException e)
        {
            reason = e.Failure?.Reason;
        }
        #endregion

        output.WriteLine($"   the scope reported: {reason}");
        return reason == "one child failed";
    }
}
