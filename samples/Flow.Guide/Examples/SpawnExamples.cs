// Ported from the Rust guide, "Spawning tasks" (guide-tasks.txt). Until Flow's Tasks.Spawn lands,
// a plain Task.Run stands in for `spawn`; the shape of each example is the guide's.
namespace Flow.Guide;

internal static class SpawnExamples
{
    public static async Task<bool> SpawnAsync(TextWriter output)
    {
        #region spawn
        // Print something profound in a different task using a named function
        static void PrintMessage() => Console.WriteLine("I am running in a different task!");
        Task first = Task.Run(PrintMessage);

        // Print something more profound in a different task using a lambda expression
        Task second = Task.Run(() => Console.WriteLine("I am also running in a different task!"));
        #endregion

        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine("   both tasks ran");
        return first.IsCompletedSuccessfully && second.IsCompletedSuccessfully;
    }

    public static async Task<bool> CaptureAsync(TextWriter output)
    {
        #region spawn-capture
        // Generate some state locally
        int childTaskNumber = Work.GenerateTaskNumber();

        Task child = Task.Run(() =>
        {
            // Capture it in the remote task
            Console.WriteLine($"I am child number {childTaskNumber}");
        });
        #endregion

        await child.WaitAsync(TimeSpan.FromSeconds(10));
        return child.IsCompletedSuccessfully;
    }
}
