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
    /// pending: the pending receive does not complete on its own; the first <c>TrySend</c> succeeds
    /// and the receive gets exactly that message; a second <c>TrySend</c> right after fails, and a
    /// <c>SendAsync</c> right after stays pending (one parked receiver takes one message) with its
    /// message not in the chan (<c>Count</c> 0) until the next <c>TryRecv</c> takes it from the
    /// sender's hands, which completes that send.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(100)]
    public Property Rendezvous_AParkedReceiver_TakesExactlyOneMessage() =>
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
            int next = ~m;
            trace.Step($"RecvAsync; TrySend {m}; TrySend {m}; SendAsync {next}");
            ValueTask<int> receive = port.RecvAsync(deadline.Token);
            trace.Check(!receive.IsCompleted, "RecvAsync on an empty rendezvous waits");
            trace.Check(chan.TrySend(m), "TrySend to a parked receiver succeeds");
            trace.Check(!chan.TrySend(m), "A second TrySend to the same (now served) receiver fails");
            ValueTask follow = chan.SendAsync(next, deadline.Token);
            trace.Check(!follow.IsCompleted, "A SendAsync after the parked receiver was served waits");
            Task followed = follow.AsTask();
            trace.Equal(m, deadline.Wait(receive.AsTask(), "The parked RecvAsync"), "The message the parked receiver got");

            trace.Step("(receive done)");
            trace.Equal(0, port.Count, "Count while the next sender waits with nobody receiving");
            trace.Check(!followed.IsCompleted, "The waiting SendAsync has not completed: nobody received its message");
            trace.Step("TryRecv");
            trace.Check(port.TryRecv(out int taken), "TryRecv takes the waiting sender's message");
            trace.Equal(next, taken, "TryRecv");
            deadline.Wait(followed, "The SendAsync whose message TryRecv took");
        }

        trace.Check(!chan.TrySend(0) && !port.TryRecv(out _), "With no receiver parked again, TrySend and TryRecv fail");
    }
}
