// Ported from the Rust guide, "Communication" (guide-tasks.txt): the program the guide calls ill-typed,
// and what Flow's analyzer makes of it. The guide's compiler rejects a chan captured by a second task;
// Flow.Analyzers does the same at compile time (FLOW001, an error; see docs/analyzers.md).
using static Flow.Tasks;

namespace Flow.Guide;

internal static class OwnershipExamples
{
    // The guide's ill-typed program. Uncommented, it does not build:
    //   error FLOW001: 'chan' is a Chan already owned by the task spawned on line N: make it a
    //   SharedChan and hand each task its own Clone()
    // (tests/Flow.Analyzers.Tests compiles this block to prove it.)
    //
    // BEGIN ill-typed
    // var (port, chan) = Chan.New<int>();
    //
    // Spawn(() =>
    // {
    //     chan.Send(Work.SomeExpensiveComputation());
    // });
    //
    // // ERROR! The previous spawn statement already owns the channel,
    // // so the analyzer will not allow it to be captured again
    // Spawn(() =>
    // {
    //     chan.Send(Work.SomeExpensiveComputation());
    // });
    // END ill-typed

    public static bool OwnedOnce(TextWriter output)
    {
        #region ownership-fixed
        // What FLOW001's code fix makes of it: a SharedChan, and a clone that each task owns (and closes
        // when it ends); the spawning code closes its own handle once every task has one.
        var (port, chan) = SharedChan.New<int>();

        Spawn(chan.Clone(), static chan =>
        {
            chan.Send(Work.SomeExpensiveComputation());
        });

        Spawn(chan.Clone(), static chan =>
        {
            chan.Send(Work.SomeExpensiveComputation());
        });
        chan.Close();

        int result = port.Recv() + port.Recv();
        #endregion

        // Every handle is closed now, so the port ends instead of waiting for a third message.
        bool ended = !port.Iter().Any();
        output.WriteLine($"   result = {result}, port ended: {ended}");
        return result == 42 * 2 && ended;
    }
}
