// Ported from the Rust guide, "Spawning tasks" (guide-tasks.txt): `spawn` is Flow's Tasks.Spawn.
using static Flow.Tasks;

namespace Flow.Guide;

internal static class SpawnExamples
{
    #region spawn-named
    // Print something profound in a different task using a named function
    private static void PrintMessage() => Console.WriteLine("I am running in a different task!");
    #endregion

    public static bool SpawnTasks(TextWriter output)
    {
        #region spawn
        JoinHandle first = Spawn(PrintMessage);

        // Print something more profound in a different task using a lambda expression
        JoinHandle second = Spawn(() => Console.WriteLine("I am also running in a different task!"));
        #endregion

        bool ok = first.Join().IsOk && second.Join().IsOk;
        output.WriteLine($"   both tasks ended: {first.Status}, {second.Status}");
        return ok;
    }

    public static bool CaptureState(TextWriter output)
    {
        #region spawn-capture
        // Generate some state locally
        int childTaskNumber = Work.GenerateTaskNumber();

        JoinHandle child = Spawn(childTaskNumber, static number =>
        {
            // Hand it to the remote task, which owns it from now on
            Console.WriteLine($"I am child number {number}");
        });
        #endregion

        bool ok = child.Join().IsOk;
        output.WriteLine($"   the child ended: {child.Status}");
        return ok;
    }
}
