using Flow.Properties.Generators;
using Flow.Properties.Models;
using Flow.Properties.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Channels;

/// <summary>Law 5, a bounded chan never holds more than its capacity, and behaves like a FIFO of that size.</summary>
public class BoundedProperties
{
    /// <summary>
    /// For any capacity 1..32 and any script of <c>TrySend</c>/<c>TryRecv</c> run on one thread:
    /// <c>Count</c> never exceeds the capacity, <c>TrySend</c> fails exactly when
    /// <c>Count == capacity</c>, and what is received is what was accepted, in order (compared
    /// step by step with a <see cref="Queue{T}"/> of that capacity).
    /// </summary>
    /// <returns>The property.</returns>
    [Law(100)]
    public Property BoundedChan_NeverHoldsMoreThanItsCapacity_AndActsLikeAQueue() =>
        Prop.ForAll(ChannelArbs.Capacity(1, 32), ChannelArbs.BufferOps(), RunBufferScript);

    /// <summary>
    /// For any capacity 0..8 (0 = rendezvous) and any script of <c>TrySend</c>, <c>SendAsync</c>
    /// and <c>TryRecv</c> on three handles of a shared chan, run on one thread: a <c>SendAsync</c>
    /// on a full chan stays pending (a blocked sender); each <c>TryRecv</c> takes the oldest message
    /// and lets the oldest blocked sender in (in a rendezvous, takes its message directly), and that
    /// sender's send then completes; <c>Count</c> never exceeds the capacity.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(100)]
    public Property BlockedSenders_AreServedInTheOrderTheyBlocked() =>
        Prop.ForAll(ChannelArbs.Capacity(0, 8), ChannelArbs.OfferOps(), RunOfferScript);

    /// <summary>
    /// For any capacity 0..16 (0 = rendezvous) and any list of messages, a sender on its own thread
    /// (blocking or async sends) and a receiver on the test thread: whenever the receiver has
    /// taken r messages, at most r + capacity sends have completed — the chan never holds more
    /// than its capacity, and a rendezvous send completes only once the receiver has the message.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property BoundedChan_SendsNeverRunAheadOfTheReceiverByMoreThanTheCapacity() =>
        Prop.ForAll(ChannelArbs.Capacity(0, 16), ChannelArbs.Messages(), ChannelArbs.OneOf<SendStyle>(), RaceSenderAndReceiver);

    private static void RaceSenderAndReceiver(int capacity, int[] messages, SendStyle style)
    {
        using var deadline = new Deadline();
        CancellationToken token = deadline.Token;
        var (port, chan) = Chan.New<int>(capacity);
        var spawn = new Spawn();
        int completed = 0;
        if (style == SendStyle.Blocking)
        {
            spawn.Thread(
                () =>
                {
                    foreach (int m in messages)
                    {
                        chan.Send(m, token);
                        Interlocked.Increment(ref completed);
                    }
                },
                token);
        }
        else
        {
            spawn.Async(
                async () =>
                {
                    foreach (int m in messages)
                    {
                        await chan.SendAsync(m, token).ConfigureAwait(false);
                        Interlocked.Increment(ref completed);
                    }
                },
                token);
        }

        spawn.Release();
        var received = new List<int>();
        for (int r = 1; r <= messages.Length; r++)
        {
            received.Add(deadline.Run(() => port.Recv(token), $"Receiving message {r} of {messages.Length}"));

            // Between two receives nobody takes a message, so every completed send beyond the r taken is still in the chan.
            int sent = Volatile.Read(ref completed);
            Expect.That(sent <= r + capacity, $"After {r} receives, {sent} sends completed: more than {r} + capacity {capacity}");
            Expect.That(port.Count <= capacity, $"Count {port.Count} <= capacity {capacity}");
        }

        spawn.JoinAll(deadline, "The sender");
        Expect.Sequence(messages, received, "Received");
    }

    private static void RunBufferScript(int capacity, BufferOp[] script)
    {
        var (port, chan) = Chan.New<int>(capacity);
        var model = new BoundedChanModel(capacity);
        var trace = new Trace($"bounded({capacity})");
        trace.Equal<int?>(capacity, port.Capacity, "Capacity");
        foreach (BufferOp op in script)
        {
            trace.Step(op.ToString());
            if (op.IsSend)
            {
                bool full = port.Count == capacity;
                bool sent = chan.TrySend(op.Value);
                trace.Check(sent != full, $"TrySend {(sent ? "succeeded" : "failed")} with Count {(full ? "==" : "<")} capacity");
                trace.Equal(model.TrySend(op.Value), sent, "TrySend accepted");
            }
            else
            {
                Recv();
            }

            trace.Check(port.Count <= capacity, $"Count {port.Count} <= capacity {capacity}");
            trace.Equal(model.Count, port.Count, "Count");
        }

        chan.Close();
        while (model.Count > 0)
        {
            trace.Step("TryRecv");
            Recv();
        }

        trace.Check(!port.TryRecv(out _) && port.IsCompleted, "After close and drain, the port ends");

        void Recv()
        {
            bool expected = model.TryRecv(out int message, out _);
            bool got = port.TryRecv(out int actual);
            trace.Equal(expected ? $"message {message}" : "nothing", got ? $"message {actual}" : "nothing", "TryRecv");
        }
    }

    private static void RunOfferScript(int capacity, OfferOp[] script)
    {
        using var deadline = new Deadline();
        var (port, original) = SharedChan.New<int>(capacity);
        SharedChan<int>[] handles = [original, original.Clone(), original.Clone()];
        var pending = new Task?[handles.Length];
        var model = new BoundedChanModel(capacity);
        var trace = new Trace(capacity == 0 ? "rendezvous, handles h0..h2" : $"bounded({capacity}), handles h0..h2");
        foreach (OfferOp op in script)
        {
            int h = op.Handle % handles.Length;
            switch (op.Action)
            {
                case OfferAction.TrySend:
                    trace.Step($"h{h}.TrySend {op.Value}");
                    trace.Equal(model.TrySend(op.Value), handles[h].TrySend(op.Value), $"h{h}.TrySend accepted ({port.Count} buffered)");
                    break;
                case OfferAction.SendAsync when pending[h] is not null:
                    // One send at a time per handle: a second one while the first waits is misuse.
                    trace.Step($"(h{h}.SendAsync {op.Value} skipped: h{h} is blocked)");
                    break;
                case OfferAction.SendAsync:
                    trace.Step($"h{h}.SendAsync {op.Value}");
                    ValueTask send = handles[h].SendAsync(op.Value, deadline.Token);
                    if (model.Offer(h, op.Value))
                    {
                        trace.Check(send.IsCompletedSuccessfully, $"h{h}.SendAsync completes at once while there is room (status: {send.AsTask().Status})");
                    }
                    else
                    {
                        trace.Check(!send.IsCompleted, $"h{h}.SendAsync stays pending on a full chan");
                        pending[h] = send.AsTask();
                    }

                    break;
                default:
                    trace.Step("TryRecv");
                    bool expected = model.TryRecv(out int message, out int? released);
                    bool got = port.TryRecv(out int actual);
                    trace.Equal(expected ? $"message {message}" : "nothing", got ? $"message {actual}" : "nothing", "TryRecv");
                    if (released is int r)
                    {
                        string? error = Completes(deadline, pending[r]!);
                        trace.Check(error is null, $"h{r}'s blocked SendAsync completes successfully once its message is taken, but {error}");
                        pending[r] = null;
                    }

                    break;
            }

            trace.Check(port.Count <= capacity, $"Count {port.Count} <= capacity {capacity}");
            trace.Equal(model.Count, port.Count, "Count");
            trace.Equal(
                Expect.Show(model.BlockedSenders.Order()),
                Expect.Show(Enumerable.Range(0, handles.Length).Where(s => pending[s] is { IsCompleted: false })),
                "Blocked senders (pending SendAsync)");
        }
    }

    /// <summary>Waits, within the deadline, for <paramref name="task"/>; null when it completed successfully, else what happened.</summary>
    private static string? Completes(Deadline deadline, Task task)
    {
        try
        {
            deadline.Wait(task, "it");
            return null;
        }
        catch (Exception e) when (e is TimeoutException or ChannelClosedException or OperationCanceledException)
        {
            return e.Message.TrimEnd('.');
        }
    }
}
