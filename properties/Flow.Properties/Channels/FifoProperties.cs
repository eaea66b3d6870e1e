using FsCheck.Xunit;

namespace Flow.Properties.Channels;

public class FifoProperties
{
    [Property]
    public bool Unbounded_DeliversEverySentMessage_InOrder(int[] messages)
    {
        var (port, chan) = Chan.New<int>();
        foreach (int m in messages)
        {
            chan.Send(m);
        }

        chan.Close();
        return port.Iter().SequenceEqual(messages);
    }
}
