using Flow.Properties.Generators;
using Flow.Properties.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Channels;

/// <summary>Law 2, exactly once until the end: what was sent before the end is received once, then the port ends.</summary>
public class ExactlyOnceProperties
{
    private static readonly Arbitrary<(ReceiveStyle, Ending)> s_styleAndEnding = Arb.Zip(ChannelArbs.OneOf<ReceiveStyle>(), ChannelArbs.OneOf<Ending>());

    /// <summary>
    /// For any list of messages, any channel (unbounded, bounded 1..16, rendezvous), any way of
    /// receiving and any way of ending: a sender on its own thread sends the list and ends; the
    /// receiver gets every message once, in order; then the port ends — receives throw
    /// <see cref="ChannelClosedException"/> (its inner exception the sender's failure, if it failed),
    /// enumeration stops (or throws that exception after a failure), <c>TryRecv</c> is false,
    /// <c>IsCompleted</c> is true and <c>Completion</c> has completed (faulted with the failure
    /// itself after a failure); and the chan refuses further sends.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(40)]
    public Property EverythingSentBeforeTheEnd_IsReceivedOnce_ThenThePortEnds() =>
        Prop.ForAll(
            ChannelArbs.Messages(),
            ChannelArbs.Shape(maxCapacity: 16, rendezvous: true),
            s_styleAndEnding,
            (messages, shape, styleAndEnding) => SendThenEnd(messages, shape, styleAndEnding.Item1, styleAndEnding.Item2));

    private static void SendThenEnd(int[] messages, ChanShape shape, ReceiveStyle style, Ending ending)
    {
        using var deadline = new Deadline();
        CancellationToken token = deadline.Token;
        var (port, chan) = shape.NewChan<int>();
        var failure = new InvalidOperationException("The sender failed on purpose.");
        var spawn = new Spawn();
        spawn.Thread(
            () =>
            {
                foreach (int m in messages)
                {
                    chan.Send(m, token);
                }

                switch (ending)
                {
                    case Ending.Close:
                        chan.Close();
                        break;
                    case Ending.Dispose:
                        chan.Dispose();
                        break;
                    default:
                        chan.Fail(failure);
                        break;
                }
            },
            token);
        spawn.Release();

        (List<int> received, Exception? end) = Drain(port, style, deadline);
        spawn.JoinAll(deadline, "The sender");
        Expect.Sequence(messages, received, $"Received with {style}");

        Exception? cause = ending == Ending.Fail ? failure : null;
        bool endsByThrowing = cause is not null || style is ReceiveStyle.Recv or ReceiveStyle.RecvAsync;
        if (endsByThrowing)
        {
            var closed = end as ChannelClosedException;
            Expect.That(closed is not null, $"{style} ends with ChannelClosedException, not {end?.GetType().Name ?? "a normal end"}");
            Expect.That(ReferenceEquals(cause, closed.InnerException), $"{style}'s ChannelClosedException carries the sender's failure as InnerException (got {closed.InnerException?.Message ?? "none"})");
        }
        else
        {
            Expect.That(end is null, $"{style} ends normally after a clean close, not with {end?.GetType().Name}: {end?.Message}");
        }

        // The end is final: every way of receiving reports it, again and again.
        Expect.That(port.IsCompleted, "IsCompleted after the end");
        Expect.That(!port.TryRecv(out int extra), $"TryRecv after the end returned {extra}");
        for (int i = 0; i < 2; i++)
        {
            ChannelClosedException again = Expect.Throws<ChannelClosedException>(() => deadline.Run(() => port.Recv(token), "Recv after the end"), "Recv after the end");
            Expect.That(ReferenceEquals(cause, again.InnerException), "Recv after the end carries the sender's failure as InnerException");
        }

        if (cause is null)
        {
            Expect.That(!port.Iter(token).Any(), "Iter() after a clean end yields nothing");
        }
        else
        {
            Expect.Throws<ChannelClosedException>(() => _ = port.Iter(token).ToList(), "Iter() after a failed end");
        }

        Task completion = port.Completion;
        Expect.That(completion.IsCompleted, "Completion has completed once the port is closed and drained");
        Expect.That(
            cause is null ? completion.IsCompletedSuccessfully : completion.IsFaulted && ReferenceEquals(cause, completion.Exception!.InnerException),
            $"Completion is {(cause is null ? "successful" : "faulted with the sender's exception itself")}, not {completion.Status} ({completion.Exception?.InnerException?.Message})");

        Expect.That(chan.IsClosed, "IsClosed after the end");
        Expect.That(!chan.TrySend(0), "TrySend after the end is refused");
        Expect.Throws<ChannelClosedException>(() => chan.Send(0), "Send after the end");
    }

    /// <summary>Receives with <paramref name="style"/> until the port ends; returns the messages and the exception that ended the drain, if any.</summary>
    private static (List<int> Received, Exception? End) Drain(Port<int> port, ReceiveStyle style, Deadline deadline)
    {
        CancellationToken token = deadline.Token;
        var received = new List<int>();
        string what = $"Receiving with {style} until the end";
        try
        {
            switch (style)
            {
                case ReceiveStyle.Recv:
                    deadline.Run(
                        () =>
                        {
                            while (true)
                            {
                                received.Add(port.Recv(token));
                            }
                        },
                        what);
                    break;
                case ReceiveStyle.Iter:
                    deadline.Run(() => received.AddRange(port.Iter(token)), what);
                    break;
                case ReceiveStyle.RecvAsync:
                    deadline.Wait(
                        Task.Run(
                            async () =>
                            {
                                while (true)
                                {
                                    received.Add(await port.RecvAsync(token).ConfigureAwait(false));
                                }
                            },
                            token),
                        what);
                    break;
                case ReceiveStyle.AwaitForeach:
                    deadline.Wait(
                        Task.Run(
                            async () =>
                            {
                                await foreach (int m in port.WithCancellation(token).ConfigureAwait(false))
                                {
                                    received.Add(m);
                                }
                            },
                            token),
                        what);
                    break;
                default:
                    deadline.Wait(
                        Task.Run(
                            async () =>
                            {
                                while (true)
                                {
                                    if (port.TryRecv(out int m))
                                    {
                                        received.Add(m);
                                    }
                                    else if (!await port.WaitToRecvAsync(token).ConfigureAwait(false))
                                    {
                                        return;
                                    }
                                }
                            },
                            token),
                        what);
                    break;
            }
        }
        catch (ChannelClosedException end)
        {
            return (received, end);
        }

        return (received, null);
    }
}
