using Flow.Properties.Generators;
using Flow.Properties.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Channels;

/// <summary>Law 3, closure after every sender finished: a shared chan ends only once its last handle closed.</summary>
public class ClosureProperties
{
    /// <summary>
    /// For a shared chan (unbounded, bounded 1..8, rendezvous) with k clones (1..8) plus the
    /// original, and any script of sends, receives, closes and failures (repeated ones too) and
    /// clones on any handle, run on one thread and then followed by closing the handles still open: while at
    /// least one handle is open the port does not report the end (<c>IsCompleted</c> is false,
    /// <c>Completion</c> is pending, a false <c>TryRecv</c> is only "empty"); after the last close
    /// the port delivers what is buffered and then ends, carrying the first handle's failure if any
    /// handle failed before it closed. Along the way the channel matches a model:
    /// a FIFO of accepted messages, <c>TrySend</c> refused exactly when the handle is closed or the
    /// buffer is full, <c>Clone</c> of a closed handle refused, <c>SenderCount</c> = open handles.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(100)]
    public Property SharedChan_EndsOnlyAfterEveryHandleClosed() =>
        Prop.ForAll(
            ChannelArbs.Between(1, 8),
            ChannelArbs.HandleOps(),
            ChannelArbs.Shape(maxCapacity: 8, rendezvous: true),
            RunScript);

    /// <summary>
    /// For k (1..8) clones, each sending its own list on its own thread and closing when done,
    /// while the original handle stays open: the receiver gets every message and the port still
    /// does not end, however the closes raced; closing the original then ends it.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property SharedChan_ConcurrentCloses_DoNotEndThePort_WhileAHandleIsOpen() =>
        Prop.ForAll(
            ChannelArbs.Scripts(min: 1, max: 8),
            ChannelArbs.Shape(maxCapacity: 8, rendezvous: true),
            CloseConcurrently);

    private static void CloseConcurrently(int[][] scripts, ChanShape shape)
    {
        using var deadline = new Deadline();
        CancellationToken token = deadline.Token;
        var (port, original) = shape.NewShared<int>();
        var spawn = new Spawn();
        foreach (int[] script in scripts)
        {
            SharedChan<int> clone = original.Clone();
            spawn.Thread(
                () =>
                {
                    foreach (int m in script)
                    {
                        clone.Send(m, token);
                    }

                    clone.Close();
                },
                token);
        }

        spawn.Release();
        int total = scripts.Sum(s => s.Length);
        for (int i = 0; i < total; i++)
        {
            deadline.Run(() => port.Recv(token), $"Receiving message {i + 1} of {total}");
            Expect.That(!port.IsCompleted, $"The port has not ended after {i + 1} of {total} messages while the original handle is open");
        }

        spawn.JoinAll(deadline, "The clones");
        Expect.Equal(1, original.SenderCount, "SenderCount once every clone closed");
        Expect.That(!port.TryRecv(out int extra), $"TryRecv after every message finds nothing (got {extra})");
        Expect.That(!port.IsCompleted && !port.Completion.IsCompleted, "The port has not ended while the original handle is open");

        original.Close();
        Expect.That(port.IsCompleted && port.Completion.IsCompletedSuccessfully, "The port ends when the original, the last open handle, closes");
    }

    private static void RunScript(int clones, HandleOp[] script, ChanShape shape)
    {
        var (port, original) = shape.NewShared<int>();
        var handles = new List<SharedChan<int>> { original };
        var open = new List<bool> { true };
        for (int i = 0; i < clones; i++)
        {
            handles.Add(original.Clone());
            open.Add(true);
        }

        var buffered = new Queue<int>();
        Exception? firstFailure = null;
        int capacity = shape.Capacity ?? int.MaxValue;
        var trace = new Trace($"{shape}, original h0 + {clones} clones");
        Task completion = port.Completion;
        CheckEnd();

        int ops = 0;
        foreach (HandleOp op in script)
        {
            ops++;
            int h = op.Handle % handles.Count;
            switch (op.Action)
            {
                case HandleAction.Send:
                    trace.Step($"h{h}.TrySend {op.Value}");
                    bool accepted = open[h] && buffered.Count < capacity;
                    trace.Equal(accepted, handles[h].TrySend(op.Value), $"h{h}.TrySend accepted (h{h} {(open[h] ? "open" : "closed")}, {buffered.Count} buffered)");
                    if (accepted)
                    {
                        buffered.Enqueue(op.Value);
                    }

                    break;
                case HandleAction.Recv:
                    Recv();
                    break;
                case HandleAction.Close:
                    trace.Step($"h{h}.Close");
                    handles[h].Close();
                    open[h] = false;
                    break;
                case HandleAction.Fail:
                    trace.Step($"h{h}.Fail");
                    var failure = new InvalidOperationException($"h{h} failed at step {ops} of the script");
                    handles[h].Fail(failure);
                    if (open[h])
                    {
                        // The first ending of a handle wins; the first failure among the handles is the end's cause.
                        firstFailure ??= failure;
                        open[h] = false;
                    }

                    break;
                default:
                    trace.Step($"h{h}.Clone");
                    if (open[h])
                    {
                        handles.Add(handles[h].Clone());
                        open.Add(true);
                        trace.Step($"(new h{handles.Count - 1})");
                    }
                    else
                    {
                        _ = trace.Throws<ChannelClosedException>(() => handles[h].Clone(), $"h{h}.Clone of a closed handle");
                    }

                    break;
            }

            CheckEnd();
        }

        // Close whatever the script left open, lowest handle first; the port may end only at the last.
        for (int h = 0; h < handles.Count; h++)
        {
            if (open[h])
            {
                trace.Step($"h{h}.Close");
                handles[h].Close();
                open[h] = false;
                CheckEnd();
            }
        }

        while (buffered.Count > 0)
        {
            Recv();
            CheckEnd();
        }

        trace.Check(!port.TryRecv(out _) && port.IsCompleted, "After the last close and the last message, TryRecv reports the end");
        Exception? cause = trace.Throws<ChannelClosedException>(() => port.Recv(), "Recv after the end").InnerException;
        trace.Check(ReferenceEquals(firstFailure, cause), $"The end carries the first failure ({firstFailure?.Message ?? "none"}), not {cause?.Message ?? "none"}");
        trace.Check(
            firstFailure is null ? completion.IsCompletedSuccessfully : completion.IsFaulted && ReferenceEquals(firstFailure, completion.Exception!.InnerException),
            $"Completion is {(firstFailure is null ? "successful" : "faulted with the first failure")}, not {completion.Status} ({completion.Exception?.InnerException?.Message})");

        void Recv()
        {
            trace.Step("TryRecv");
            bool expected = buffered.TryDequeue(out int message);
            bool got = port.TryRecv(out int actual);
            trace.Equal(expected ? $"message {message}" : "nothing", got ? $"message {actual}" : "nothing", "TryRecv");
        }

        void CheckEnd()
        {
            int openCount = open.Count(o => o);
            bool ended = openCount == 0 && buffered.Count == 0;
            trace.Equal(ended, port.IsCompleted, $"IsCompleted ({openCount} handles open, {buffered.Count} buffered)");
            trace.Equal(ended, completion.IsCompleted, $"Completion done ({openCount} handles open, {buffered.Count} buffered)");
            trace.Equal(openCount, original.SenderCount, "SenderCount");
            trace.Equal(buffered.Count, port.Count, "Count");
            for (int h = 0; h < handles.Count; h++)
            {
                trace.Equal(!open[h], handles[h].IsClosed, $"h{h}.IsClosed");
            }
        }
    }
}
