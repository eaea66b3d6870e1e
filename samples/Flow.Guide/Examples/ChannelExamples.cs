// Ported from the Rust guide, "Communication" (guide-tasks.txt). Until Flow's Tasks.Spawn lands,
// a plain Task.Run stands in for `spawn`; ports, chans and shared chans are Flow's.
namespace Flow.Guide;

internal static class ChannelExamples
{
    public static async Task<bool> PortChanAsync(TextWriter output)
    {
        #region port-chan
        var (port, chan) = Chan.New<int>();

        Task child = Task.Run(() =>
        {
            int result = Work.SomeExpensiveComputation();
            chan.Send(result);
        });

        Work.SomeOtherExpensiveComputation();
        int result = port.Recv();
        #endregion

        await child.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"   result = {result}");
        return result == 42;
    }

    public static async Task<bool> SharedChanAsync(TextWriter output)
    {
        #region shared-chan
        var (port, chan) = SharedChan.New<int>();

        var children = new List<Task>();
        for (int initVal = 0; initVal < 3; initVal++)
        {
            // Create a new channel handle to distribute to the child task
            SharedChan<int> childChan = chan.Clone();
            int value = initVal;
            children.Add(Task.Run(() => childChan.Send(Work.SomeExpensiveComputation(value))));
        }

        int result = port.Recv() + port.Recv() + port.Recv();
        #endregion

        chan.Close();
        await Task.WhenAll(children).WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"   result = {result}");
        return result == 42 * 3 + 0 + 1 + 2;
    }

    public static async Task<bool> VectorOfPortsAsync(TextWriter output)
    {
        #region vector-of-ports
        // Create a vector of ports, one for each child task
        var children = new List<Task>();
        Port<int>[] ports = Enumerable.Range(0, 3).Select(initVal =>
        {
            var (port, chan) = Chan.New<int>();
            children.Add(Task.Run(() => chan.Send(Work.SomeExpensiveComputation(initVal))));
            return port;
        }).ToArray();

        // Wait on each port, accumulating the results
        int result = ports.Aggregate(0, (accum, port) => accum + port.Recv());
        #endregion

        await Task.WhenAll(children).WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"   result = {result}");
        return result == 42 * 3 + 0 + 1 + 2;
    }
}
