// Ported from the Rust guide, "Creating a task with a bi-directional communication path"
// (guide-tasks.txt).
using static Flow.Tasks;

namespace Flow.Guide;

internal static class DuplexExamples
{
    #region stringifier
    private static void Stringifier(DuplexStream<string, int> channel)
    {
        int value;
        do
        {
            value = channel.Recv();
            channel.Send(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        while (value != 0);
    }
    #endregion

    public static bool Stringifier(TextWriter output)
    {
        #region duplex-parent
        var (fromChild, toChild) = DuplexStream.New<int, string>();

        Spawn(toChild, Stringifier);

        fromChild.Send(22);
        bool first = fromChild.Recv() == "22";

        fromChild.Send(23);
        fromChild.Send(0);

        bool second = fromChild.Recv() == "23";
        bool third = fromChild.Recv() == "0";
        #endregion

        output.WriteLine($"   received 22: {first}, 23: {second}, 0: {third}");
        return first && second && third;
    }
}
