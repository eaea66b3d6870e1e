using System.Collections.Concurrent;
using Flow.Properties.Generators;
using Flow.Properties.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Channels;

/// <summary>
/// Progress: a message reaches a waiting receiver without any later send or close to push it
/// along. The laws above all end with a close, which wakes every waiter, so a lost wakeup could
/// hide behind it; here each message must get through on its own.
/// </summary>
public class ProgressProperties
{
    /// <summary>
    /// For any list of messages, any shape of the two chans (unbounded, bounded 1..4, rendezvous)
    /// and any way the echo side waits: a pinger sends one message and waits for its echo before
    /// sending the next; the echoer waits for each message and sends it back. Every round trip
    /// completes (within the deadline) and the echoes are the messages, in order.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property PingPong_EachMessageWakesTheWaitingReceiver() =>
        Prop.ForAll(
            ChannelArbs.Messages(),
            Arb.Zip(ChannelArbs.Shape(maxCapacity: 4, rendezvous: true), ChannelArbs.Shape(maxCapacity: 4, rendezvous: true)),
            ChannelArbs.OneOf<EchoStyle>(),
            (messages, shapes, style) => PingPong(messages, shapes.Item1, shapes.Item2, style));

    private static void PingPong(int[] messages, ChanShape there, ChanShape back, EchoStyle style)
    {
        using var deadline = new Deadline();
        CancellationToken token = deadline.Token;
        var (pings, pingChan) = there.NewChan<int>();
        var (pongs, pongChan) = back.NewChan<int>();
        var (idle, idleChan) = Chan.New<int>();
        var spawn = new Spawn();
        var echoed = new ConcurrentQueue<int>();

        spawn.Thread(
            () =>
            {
                foreach (int m in messages)
                {
                    pingChan.Send(m, token);
                    echoed.Enqueue(pongs.Recv(token));
                }

                pingChan.Close();
            },
            token);

        if (style is EchoStyle.Recv or EchoStyle.Select)
        {
            spawn.Thread(
                () =>
                {
                    for (int i = 0; i < messages.Length; i++)
                    {
                        int m = style == EchoStyle.Recv ? pings.Recv(token) : Select.Recv([pings, idle], token).Value;
                        pongChan.Send(m, token);
                    }
                },
                token);
        }
        else
        {
            spawn.Async(
                async () =>
                {
                    for (int i = 0; i < messages.Length; i++)
                    {
                        int m = style == EchoStyle.RecvAsync
                            ? await pings.RecvAsync(token).ConfigureAwait(false)
                            : (await Select.RecvAsync([pings, idle], token).ConfigureAwait(false)).Value;
                        await pongChan.SendAsync(m, token).ConfigureAwait(false);
                    }
                },
                token);
        }

        spawn.Release();
        try
        {
            spawn.JoinAll(deadline, $"{messages.Length} round trips ({there} there, {back} back, echo by {style})");
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message} Echoes that came back: {Expect.Show(echoed)}.", timeout);
        }

        Expect.Sequence(messages, echoed, "Echoes");
        idleChan.Close();
    }
}
