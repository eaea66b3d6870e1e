using Flow.Properties.Generators;
using Flow.Properties.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Channels;

/// <summary>Law 6, a rendezvous hands a message over only to a receiver that is there.</summary>
public class RendezvousProperties
{
    /// <summary>
    /// For any script of <c>TrySend</c>/<c>TryRecv</c> on a rendezvous chan, run on one thread (so
    /// no receiver is ever parked): every <c>TrySend</c> fails, every <c>TryRecv</c> finds nothing,
    /// <c>Count</c> stays 0 and the port does not end; after <c>Close</c>, <c>TryRecv</c> reports
    /// the end and <c>TrySend</c> is still refused.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(100)]
    public Property Rendezvous_WithNoReceiverParked_TrySendAndTryRecvFail() =>
        Prop.ForAll(ChannelArbs.BufferOps(), RunScript);

    /// <summary>
    /// For any list of messages, each offered to a rendezvous chan while a <c>RecvAsync</c> is
    /// pending: the pending receive does not complete on its own, the first <c>TrySend</c> succeeds
    /// and the receive gets exactly that message, and a second <c>TrySend</c> right after fails
    /// (one parked receiver takes one message).
    /// </summary>
    /// <returns>The property.</returns>
    [Law(100)]
    public Property Rendezvous_AParkedReceiver_TakesExactlyOneTrySend() =>
        Prop.ForAll(ChannelArbs.Messages(), HandOver);

    private static void RunScript(BufferOp[] script)
    {
        var (port, chan) = Chan.New<int>(0);
        var trace = new Trace("rendezvous");
        foreach (BufferOp op in script)
        {
            trace.Step(op.ToString());
            if (op.IsSend)
            {
                trace.Check(!chan.TrySend(op.Value), "TrySend with no receiver parked fails");
            }
            else
            {
                trace.Check(!port.TryRecv(out int m), $"TryRecv with no sender waiting finds nothing (got {m})");
            }

            trace.Equal(0, port.Count, "Count");
            trace.Check(!port.IsCompleted, "The port does not end while the chan is open");
        }

        trace.Step("Close");
        chan.Close();
        trace.Check(!port.TryRecv(out _) && port.IsCompleted, "After Close, TryRecv reports the end");
        trace.Check(!chan.TrySend(0), "TrySend after Close fails");
    }

    private static void HandOver(int[] messages)
    {
        using var deadline = new Deadline();
        var (port, chan) = Chan.New<int>(0);
        var trace = new Trace("rendezvous with a parked RecvAsync");
        foreach (int m in messages)
        {
            trace.Step($"RecvAsync; TrySend {m}; TrySend {m}");
            ValueTask<int> receive = port.RecvAsync(deadline.Token);
            trace.Check(!receive.IsCompleted, "RecvAsync on an empty rendezvous waits");
            trace.Check(chan.TrySend(m), "TrySend to a parked receiver succeeds");
            trace.Check(!chan.TrySend(m), "A second TrySend to the same (now served) receiver fails");
            trace.Equal(m, deadline.Wait(receive.AsTask(), "The parked RecvAsync"), "The message the parked receiver got");
        }

        trace.Check(!chan.TrySend(0) && !port.TryRecv(out _), "With no receiver parked again, TrySend and TryRecv fail");
    }
}
