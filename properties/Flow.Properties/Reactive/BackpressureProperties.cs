using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Flow.Properties.Generators;
using Flow.Properties.Support;
using Flow.Reactive;
using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Reactive;

/// <summary>
/// The laws of <c>observable.ToPort(capacity, policy)</c>: under <c>Block</c> the round trip back
/// through <c>port.ToObservable()</c> is the identity, terminal error included; under a drop
/// policy what arrives is a subsequence of what was sent, and every message is either received or
/// dropped, counted and reported, exactly once.
/// </summary>
public class BackpressureProperties
{
    /// <summary>
    /// For any list of messages, any capacity 1..8 and either ending (complete, or fail with an
    /// error), produced on its own thread (a subject, or a cold observable on a new thread):
    /// <c>source.ToPort(capacity, Block).Port.ToObservable()</c> notifies exactly the messages, in
    /// order, then <c>OnCompleted</c> — or <c>OnError</c> with the very error object — and drops
    /// nothing.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property Block_RoundTrip_ReproducesAnyFiniteSequence_AndItsEnd() =>
        Prop.ForAll(
            ChannelArbs.OneOf<SourceStyle>(),
            style => Prop.ForAll(
                ChannelArbs.Capacity(1, 8),
                ChannelArbs.Messages(),
                ArbMap.Default.ArbFor<bool>(),
                (capacity, messages, fails) => RoundTrip(capacity, messages, fails, style)));

    /// <summary>
    /// For either drop policy, any capacity 1..8 and any list of messages, sent synchronously
    /// through a subject with nobody receiving, then drained: the port holds exactly the first
    /// <c>capacity</c> messages (DropNewest) or the last <c>capacity</c> (DropOldest); the others
    /// are the dropped ones, each reported once by <c>Dropped</c>, in the order sent, with
    /// <c>DroppedSoFar</c> counting 1, 2, …; and received + dropped = sent.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(100)]
    public Property DropPolicies_Synchronous_KeepExactlyTheFirstOrLastCapacity() =>
        Prop.ForAll(ChannelArbs.OneOf<DropPolicy>(), ChannelArbs.Capacity(1, 8), ChannelArbs.Messages(), DropSynchronously);

    /// <summary>
    /// For either drop policy, any capacity 1..8 and any list of messages, sent by a producer on its
    /// own thread while a consumer receives at the same time: what the consumer receives is a
    /// subsequence of what was sent (each message once, in order); what was dropped is reported in
    /// the order sent; together they are every message sent, each exactly once; the count equals
    /// the events; DropOldest always delivers the last message and DropNewest the first.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property DropPolicies_ConcurrentConsumer_ReceivedIsASubsequence_AndReceivedPlusDroppedIsSent() =>
        Prop.ForAll(ChannelArbs.OneOf<DropPolicy>(), ChannelArbs.Capacity(1, 8), ChannelArbs.Messages(), DropConcurrently);

    /// <summary>
    /// For any capacity 1..8 and any list of messages sent synchronously with nobody receiving,
    /// under <c>Fail</c>: the port delivers the first <c>min(n, capacity)</c> messages, then ends —
    /// cleanly when everything fit, with <see cref="BackpressureOverflowException"/> otherwise — and
    /// after an overflow the subscription is gone; nothing is counted as dropped.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(100)]
    public Property Fail_Synchronous_KeepsWhatFit_ThenFailsIfAndOnlyIfItOverflowed() =>
        Prop.ForAll(ChannelArbs.Capacity(1, 8), ChannelArbs.Messages(), FailSynchronously);

    private static void RoundTrip(int capacity, int[] messages, bool fails, SourceStyle style)
    {
        using var deadline = new Deadline();
        CancellationToken token = deadline.Token;
        Exception? error = fails ? new InvalidOperationException("the source failed") : null;
        var subject = new Subject<int>();
        IObservable<int> source = style == SourceStyle.SubjectOnThread
            ? subject
            : messages.ToObservable(NewThreadScheduler.Default).Concat(error is null ? Observable.Empty<int>() : Observable.Throw<int>(error));

        using ObservablePort<int> port = source.ToPort(capacity, BackpressurePolicy.Block);
        var received = new List<int>();
        Exception? seen = null;
        bool completed = false;
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable subscription = port.Port.ToObservable().Subscribe(
            received.Add,
            e =>
            {
                seen = e;
                ended.SetResult();
            },
            () =>
            {
                completed = true;
                ended.SetResult();
            });

        if (style == SourceStyle.SubjectOnThread)
        {
            var spawn = new Spawn();
            spawn.Thread(
                () =>
                {
                    foreach (int m in messages)
                    {
                        subject.OnNext(m);
                    }

                    if (error is null)
                    {
                        subject.OnCompleted();
                    }
                    else
                    {
                        subject.OnError(error);
                    }
                },
                token);
            spawn.Release();
            spawn.JoinAll(deadline, "the producer");
        }

        deadline.Wait(ended.Task, "the round trip's end");
        Expect.Sequence(messages, received, "the round trip's messages");
        if (error is null)
        {
            Expect.That(completed && seen is null, $"the round trip completes (error: {seen?.GetType().Name})");
        }
        else
        {
            Expect.That(ReferenceEquals(error, seen), $"the round trip fails with the source's own error (got {seen?.GetType().Name ?? "none"})");
        }

        Expect.Equal(0L, port.DroppedCount, "messages dropped under Block");
    }

    private static void DropSynchronously(DropPolicy drop, int capacity, int[] messages)
    {
        var subject = new Subject<(int Index, int Value)>();
        using ObservablePort<(int Index, int Value)> port = subject.ToPort(capacity, ToPolicy(drop));
        var events = new List<DroppedEventArgs<(int Index, int Value)>>();
        port.Dropped += (_, e) => events.Add(e);

        for (int i = 0; i < messages.Length; i++)
        {
            subject.OnNext((i, messages[i]));
        }

        subject.OnCompleted();
        var received = new List<(int Index, int Value)>();
        while (port.Port.TryRecv(out var m))
        {
            received.Add(m);
        }

        Expect.That(port.Port.IsCompleted, "the port ends once drained");
        int kept = Math.Min(capacity, messages.Length);
        int[] expectedKept = drop == DropPolicy.DropNewest
            ? [.. Enumerable.Range(0, kept)]
            : [.. Enumerable.Range(messages.Length - kept, kept)];
        Expect.Sequence(expectedKept, received.Select(m => m.Index), $"the indices {drop} keeps");
        Expect.Sequence(expectedKept.Select(i => messages[i]), received.Select(m => m.Value), $"the values {drop} keeps");
        Expect.Sequence(Enumerable.Range(0, messages.Length).Except(expectedKept), events.Select(e => e.Message.Index), "the dropped messages, as reported");
        Expect.Sequence(Enumerable.Range(1, events.Count).Select(n => (long)n), events.Select(e => e.DroppedSoFar), "DroppedSoFar");
        Expect.Equal((long)events.Count, port.DroppedCount, "DroppedCount against the Dropped events");
        Expect.Equal(messages.Length, received.Count + (int)port.DroppedCount, "received + dropped against sent");
    }

    private static void DropConcurrently(DropPolicy drop, int capacity, int[] messages)
    {
        using var deadline = new Deadline();
        CancellationToken token = deadline.Token;
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(capacity, ToPolicy(drop));

        // Raised on the producer's thread (the subject serializes it), read after it joined.
        var dropped = new List<int>();
        var counts = new List<long>();
        port.Dropped += (_, e) =>
        {
            dropped.Add(e.Message);
            counts.Add(e.DroppedSoFar);
        };

        var spawn = new Spawn();
        spawn.Thread(
            () =>
            {
                for (int i = 0; i < messages.Length; i++)
                {
                    subject.OnNext(i);
                }

                subject.OnCompleted();
            },
            token);
        spawn.Release();
        List<int> received = deadline.Run<List<int>>(() => [.. port.Port.Iter(token)], "the consumer");
        spawn.JoinAll(deadline, "the producer");

        Expect.That(IsIncreasing(received), $"received is a subsequence of sent: {Expect.Show(received)}");
        Expect.That(IsIncreasing(dropped), $"drops are reported in the order sent: {Expect.Show(dropped)}");
        Expect.Sequence(Enumerable.Range(0, messages.Length), received.Concat(dropped).Order(), "received and dropped, together");
        Expect.Equal((long)dropped.Count, port.DroppedCount, "DroppedCount against the Dropped events");
        Expect.Sequence(Enumerable.Range(1, counts.Count).Select(n => (long)n), counts, "DroppedSoFar");
        if (messages.Length > 0)
        {
            Expect.That(
                drop == DropPolicy.DropOldest ? received[^1] == messages.Length - 1 : received[0] == 0,
                $"{drop} keeps the {(drop == DropPolicy.DropOldest ? "last" : "first")} message: {Expect.Show(received)}");
        }
    }

    private static void FailSynchronously(int capacity, int[] messages)
    {
        var subject = new Subject<int>();
        using ObservablePort<int> port = subject.ToPort(capacity, BackpressurePolicy.Fail);
        foreach (int m in messages)
        {
            subject.OnNext(m);
        }

        bool overflowed = messages.Length > capacity;
        Expect.Equal(!overflowed, subject.HasObservers, "still subscribed");
        subject.OnCompleted();

        var received = new List<int>();
        while (port.Port.TryRecv(out int m))
        {
            received.Add(m);
        }

        Expect.Sequence(messages.Take(capacity), received, "what the port kept");
        Expect.That(port.Port.IsCompleted, "the port ends once drained");
        Exception? end = port.Port.Completion.Exception?.InnerException;
        Expect.That(overflowed ? end is BackpressureOverflowException : end is null, $"the port's end (overflowed: {overflowed}, got {end?.GetType().Name ?? "a clean close"})");
        Expect.Equal(0L, port.DroppedCount, "messages counted as dropped under Fail");
    }

    private static BackpressurePolicy ToPolicy(DropPolicy drop) =>
        drop == DropPolicy.DropOldest ? BackpressurePolicy.DropOldest : BackpressurePolicy.DropNewest;

    private static bool IsIncreasing(List<int> values)
    {
        for (int i = 1; i < values.Count; i++)
        {
            if (values[i] <= values[i - 1])
            {
                return false;
            }
        }

        return true;
    }
}
