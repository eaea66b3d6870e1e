// Ported from the Rust guide, "Communication" (guide-tasks.txt). Where the guide captures a chan
// in a `do spawn` closure, Flow hands it over with Spawn(state, static ...): the task owns the
// chan and closes it when it ends.
using static Flow.Tasks;

namespace Flow.Guide;

internal static class ChannelExamples
{
    public static bool PortChan(TextWriter output)
    {
        #region port-chan
        var (port, chan) = Chan.New<int>();

        Spawn(chan, static chan =>
        {
            int result = Work.SomeExpensiveComputation();
            chan.Send(result);
        });

        Work.SomeOtherExpensiveComputation();
        int result = port.Recv();
        #endregion

        output.WriteLine($"   result = {result}");
        return result == 42;
    }

    // The guide's ill-typed program, in C#. It compiles (C# has no ownership in its types), but both
    // tasks would send on one Chan<int>, which has one sender; Flow.Analyzers reports it as FLOW001.
    #region ill-typed
    // var (port, chan) = Chan.New<int>();
    //
    // Spawn(() => chan.Send(Work.SomeExpensiveComputation()));
    //
    // // ERROR (FLOW001): the previous spawn already owns the chan,
    // // so it must not be captured again
    // Spawn(() => chan.Send(Work.SomeExpensiveComputation()));
    #endregion

    public static bool SharedChan(TextWriter output)
    {
        #region shared-chan
        var (port, chan) = Flow.SharedChan.New<int>();

        for (int initVal = 0; initVal < 3; initVal++)
        {
            // Create a new channel handle to distribute to the child task
            SharedChan<int> childChan = chan.Clone();
            Spawn((childChan, initVal), static state =>
            {
                var (childChan, initVal) = state;
                childChan.Send(Work.SomeExpensiveComputation(initVal));
            });
        }

        int result = port.Recv() + port.Recv() + port.Recv();
        #endregion

        chan.Close();
        output.WriteLine($"   result = {result}");
        return result == 42 * 3 + 0 + 1 + 2 && port.Iter().Any() == false;
    }

    public static bool VectorOfPorts(TextWriter output)
    {
        #region vector-of-ports
        // Create a vector of ports, one for each child task
        Port<int>[] ports = Enumerable.Range(0, 3).Select(initVal =>
        {
            var (port, chan) = Chan.New<int>();
            Spawn((chan, initVal), static state => state.chan.Send(Work.SomeExpensiveComputation(state.initVal)));
            return port;
        }).ToArray();

        // Wait on each port, accumulating the results
        int result = ports.Aggregate(0, (accum, port) => accum + port.Recv());
        #endregion

        output.WriteLine($"   result = {result}");
        return result == 42 * 3 + 0 + 1 + 2;
    }
}
