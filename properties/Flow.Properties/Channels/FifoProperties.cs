using Flow.Properties.Generators;
using Flow.Properties.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Channels;

/// <summary>Law 1, FIFO per sender: a port sees each sender's messages in the order sent, and all of them.</summary>
public class FifoProperties
{
    /// <summary>The smallest case of the law: one sender, one thread, unbounded.</summary>
    /// <param name="messages">What the sender sends.</param>
    /// <returns>Whether the port delivered exactly <paramref name="messages"/>.</returns>
    [Law(100)]
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

    /// <summary>
    /// For any k (1..8) senders, each with any list of messages, sending at once through their own
    /// clones of one shared chan (unbounded, or bounded with any capacity 1..16; blocking or async
    /// sends), the port sees each sender's sequence in order and in full, and ends once every
    /// clone has closed.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property SharedChan_EachSendersSequence_ArrivesInOrderAndInFull() =>
        Prop.ForAll(
            ChannelArbs.Scripts(min: 1, max: 8),
            ChannelArbs.Shape(maxCapacity: 16, rendezvous: false),
            ChannelArbs.OneOf<SendStyle>(),
            SendConcurrently);

    private static void SendConcurrently(int[][] scripts, ChanShape shape, SendStyle style)
    {
        using var deadline = new Deadline();
        CancellationToken token = deadline.Token;
        var (port, chan) = shape.NewShared<(int Sender, int Value)>();
        var spawn = new Spawn();
        for (int s = 0; s < scripts.Length; s++)
        {
            SharedChan<(int, int)> clone = chan.Clone();
            int sender = s;
            int[] script = scripts[s];
            if (style == SendStyle.Blocking)
            {
                spawn.Thread(
                    () =>
                    {
                        foreach (int value in script)
                        {
                            clone.Send((sender, value), token);
                        }

                        clone.Close();
                    },
                    token);
            }
            else
            {
                spawn.Async(
                    async () =>
                    {
                        foreach (int value in script)
                        {
                            await clone.SendAsync((sender, value), token).ConfigureAwait(false);
                        }

                        clone.Close();
                    },
                    token);
            }
        }

        // The original handle is not a sender here; the port must still wait for every clone.
        chan.Close();
        spawn.Release();

        List<(int Sender, int Value)> received = deadline.Run(() => port.Iter(token).ToList(), "Receiving until the last clone closed");
        spawn.JoinAll(deadline, "The senders");

        for (int s = 0; s < scripts.Length; s++)
        {
            Expect.Sequence(scripts[s], received.Where(m => m.Sender == s).Select(m => m.Value), $"Messages of sender {s}, in arrival order");
        }

        Expect.Equal(scripts.Sum(s => s.Length), received.Count, "Messages received in all");
    }
}
