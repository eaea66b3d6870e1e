using Flow.Tests.Channels;

namespace Flow.Tests.Stress;

/// <summary>
/// Races released by a barrier and repeated thousands of times, each checked for what the
/// contract allows, and conservation runs that count every message. Counts scale with
/// <c>FLOW_STRESS_SCALE</c>; the default keeps the whole test project well under a minute on
/// two cores.
/// </summary>
[Trait("Category", "Stress")]
public sealed class RaceTests
{
    private static readonly int s_races = StressScale.Count(5_000);

    public static TheoryData<string> Kinds => new() { "unbounded", "bounded", "rendezvous", "shared" };

    public static TheoryData<string> WaitingKinds => new() { "bounded", "rendezvous", "shared-bounded" };

    private static (Port<T> Port, ITestSender<T> Chan) New<T>(string kind) => kind switch
    {
        "unbounded" => Wrap(Chan.New<T>()),
        "bounded" => Wrap(Chan.New<T>(1)),
        "rendezvous" => Wrap(Chan.New<T>(0)),
        "shared" => Wrap(SharedChan.New<T>()),
        "shared-bounded" => Wrap(SharedChan.New<T>(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static (Port<T>, ITestSender<T>) Wrap<T>((Port<T> Port, Chan<T> Chan) pair) => (pair.Port, new ChanSender<T>(pair.Chan));

    private static (Port<T>, ITestSender<T>) Wrap<T>((Port<T> Port, SharedChan<T> Chan) pair) => (pair.Port, new SharedSender<T>(pair.Chan));

    // ---------------------------------------------------------------------------------------
    // The end of the stream racing a receiver: a waiting receiver always wakes, with the
    // message sent before the end first.

    private sealed class EndState(string kind, int iteration)
    {
        public readonly (Port<int> Port, ITestSender<int> Chan) Pair = New<int>(kind);
        public readonly bool Async = iteration % 2 == 0;
        public readonly bool SendFirst = iteration % 4 < 2;
        public readonly Exception? Failure = iteration % 3 == 0 ? new InvalidDataException($"failure {iteration}") : null;
        public readonly int Message = iteration;
        public Task<int>? Pending;
        public int? Received;
        public Exception? Ended;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task Recv_RacingEndOfStream_AlwaysWakes_MessageFirstThenTheEnd(string kind) => Race.Repeat(
        s_races,
        i => new EndState(kind, i),
        async s =>
        {
            if (s.Async)
            {
                try
                {
                    s.Received = await s.Pending!.Within();
                }
                catch (ChannelClosedException e)
                {
                    s.Ended = e;
                }
            }

            if (s.SendFirst)
            {
                Assert.Null(s.Ended);
                Assert.Equal(s.Message, s.Received);
                s.Ended = await Assert.ThrowsAsync<ChannelClosedException>(() => s.Pair.Port.RecvAsync().Within());
            }

            if (!s.SendFirst)
            {
                Assert.Null(s.Received);
            }

            Assert.NotNull(s.Ended);
            Assert.Same(s.Failure, s.Ended.InnerException);
            Assert.False(s.Pair.Port.TryRecv(out _));
            Assert.True(s.Pair.Port.IsCompleted);
        },
        s =>
        {
            if (s.Async)
            {
                s.Pending = s.Pair.Port.RecvAsync().AsTask();
                return;
            }

            using CancellationTokenSource deadline = Bounded.Deadline();
            try
            {
                s.Received = s.Pair.Port.Recv(deadline.Token);
            }
            catch (ChannelClosedException e)
            {
                s.Ended = e;
            }
        },
        s =>
        {
            if (s.SendFirst)
            {
                // A rendezvous send returns once the racing receiver took the message.
                s.Pair.Chan.Send(s.Message);
            }

            if (s.Failure is null)
            {
                s.Pair.Chan.Close();
            }
            else
            {
                s.Pair.Chan.Fail(s.Failure);
            }
        });

    // ---------------------------------------------------------------------------------------
    // One clone sending, then closing, while the other clone closes: the stream ends after the
    // last clone only, with every message before it.

    private sealed class ClonesState(int? capacity)
    {
        public readonly (Port<int> Port, SharedChan<int> Chan) Pair = capacity is int c ? SharedChan.New<int>(c) : SharedChan.New<int>();
        public SharedChan<int>? Other;
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4)]
    public Task Send_RacingCloseOfAnotherClone_EverySentMessageArrivesBeforeTheEnd(int? capacity) => Race.Repeat(
        s_races,
        _ =>
        {
            var s = new ClonesState(capacity);
            s.Other = s.Pair.Chan.Clone();
            return s;
        },
        async s =>
        {
            var received = new List<int>();
            using CancellationTokenSource deadline = Bounded.Deadline();
            await foreach (int message in s.Pair.Port.WithCancellation(deadline.Token))
            {
                received.Add(message);
            }

            Assert.Equal([0, 1, 2], received);
            await s.Pair.Port.Completion.Within();
        },
        s =>
        {
            for (int i = 0; i < 3; i++)
            {
                s.Pair.Chan.Send(i);
            }

            s.Pair.Chan.Close();
        },
        s => s.Other!.Close());

    // ---------------------------------------------------------------------------------------
    // Dropping the port while a sender sends: each message is refused (and still the
    // sender's), received, or disposed by Flow exactly once.

    private sealed class DisposeState(string kind)
    {
        public readonly (Port<Counted> Port, ITestSender<Counted> Chan) Pair = New<Counted>(kind);
        public readonly Counted[] Messages = [.. Enumerable.Range(0, 4).Select(i => new Counted(i))];
        public readonly bool[] Refused = new bool[4];
        public Counted? Received;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task PortDispose_RacingSends_EachMessageRefusedOrReceivedOrDisposedOnce(string kind) => Race.Repeat(
        s_races,
        _ => new DisposeState(kind),
        s =>
        {
            for (int i = 0; i < s.Messages.Length; i++)
            {
                Counted m = s.Messages[i];
                if (s.Refused[i])
                {
                    Assert.Equal(0, m.Disposals);
                    Assert.NotSame(m, s.Received);
                }
                else if (ReferenceEquals(m, s.Received))
                {
                    Assert.Equal(0, m.Disposals);
                }
                else
                {
                    Assert.Equal(1, m.Disposals);
                }

                // Once refused, refused for good.
                Assert.True(!s.Refused[i] || i == s.Messages.Length - 1 || s.Refused[i + 1], $"Message {i} was refused but {i + 1} was not.");
            }

            // The receiver took at most one message, the head.
            Assert.True(s.Received is null || s.Received.Id == 0, $"Received {s.Received}.");
        },
        s =>
        {
            for (int i = 0; i < s.Messages.Length; i++)
            {
                try
                {
                    if (i % 2 == 0)
                    {
                        s.Pair.Chan.Send(s.Messages[i]);
                    }
                    else
                    {
                        ValueTask send = s.Pair.Chan.SendAsync(s.Messages[i]);
                        if (!send.AsTask().Wait(Bounded.Timeout))
                        {
                            throw new TimeoutException("A send blocked although the port was disposed.");
                        }
                    }
                }
                catch (Exception e) when (e is ChannelClosedException || e.InnerException is ChannelClosedException)
                {
                    s.Refused[i] = true;
                }
            }
        },
        s =>
        {
            if (s.Pair.Port.TryRecv(out Counted? message))
            {
                s.Received = message;
            }

            s.Pair.Port.Dispose();
        });

    // ---------------------------------------------------------------------------------------
    // A select racing a send and a close: exactly one outcome, nothing lost.

    private sealed class SelectState(int iteration)
    {
        public readonly (Port<int> Port, Chan<int> Chan) Data = Chan.New<int>();
        public readonly (Port<int> Port, Chan<int> Chan) Closing = Chan.New<int>();
        public readonly int Shape = iteration % 4;
        public readonly bool SendsData = iteration % 8 < 4;
        public Task? Pending;
        public (int Index, int Value)? Chosen;
        public int? ClosedIndex;

        public Port<int>[] Ports => [Data.Port, Closing.Port];
    }

    [Fact]
    public Task Select_RacingClose_ReportsExactlyOneOutcomeAndLosesNothing() => Race.Repeat(
        s_races,
        i => new SelectState(i),
        async s =>
        {
            if (s.Pending is not null)
            {
                try
                {
                    await s.Pending.Within();
                }
                catch (ChannelClosedException e)
                {
                    s.ClosedIndex = e.PortIndex;
                }
            }

            Assert.True(s.Chosen.HasValue != s.ClosedIndex.HasValue, $"chosen {s.Chosen}, closed {s.ClosedIndex}");
            if (s.Chosen is { } chosen)
            {
                Assert.True(s.SendsData);
                Assert.Equal((0, 7), chosen);
                Assert.False(s.Data.Port.TryRecv(out _));
            }
            else
            {
                Assert.Equal(1, s.ClosedIndex);
                Assert.Equal(s.SendsData, s.Data.Port.TryRecv(out int left) && left == 7);
            }
        },
        s =>
        {
            SelectBuilder select = Select.Case(s.Data.Port, m => s.Chosen = (0, m))
                .Case(s.Closing.Port, m => s.Chosen = (1, m), () => s.ClosedIndex = 1);
            using CancellationTokenSource deadline = Bounded.Deadline();
            switch (s.Shape)
            {
                case 0:
                    s.Pending = RecordAsync(s, Select.RecvAsync(s.Ports));
                    break;
                case 1:
                    try
                    {
                        s.Chosen = Select.Recv(s.Ports, deadline.Token);
                    }
                    catch (ChannelClosedException e)
                    {
                        s.ClosedIndex = e.PortIndex;
                    }

                    break;
                case 2:
                    select.Run(deadline.Token);
                    break;
                default:
                    s.Pending = select.RunAsync();
                    break;
            }
        },
        s =>
        {
            if (s.SendsData)
            {
                s.Data.Chan.Send(7);
            }

            s.Closing.Chan.Close();
        });

    private static async Task RecordAsync(SelectState s, ValueTask<(int, int)> select) => s.Chosen = await select;

    // ---------------------------------------------------------------------------------------
    // Cancellation racing the other side: nothing taken or delivered twice, nothing lost.

    private sealed class RecvCancelState(string kind, int iteration) : IDisposable
    {
        public readonly (Port<int> Port, ITestSender<int> Chan) Pair = New<int>(kind);
        public readonly CancellationTokenSource Cancel = new();
        public readonly int Message = iteration;
        public Task<int>? Pending;
        public bool Sent;

        public void Dispose() => Cancel.Dispose();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task RecvAsync_CancelRacingTrySend_TheMessageIsTakenExactlyOnce(string kind) => Race.Repeat(
        s_races,
        i =>
        {
            var s = new RecvCancelState(kind, i);
            s.Pending = s.Pair.Port.RecvAsync(s.Cancel.Token).AsTask();
            return s;
        },
        async s =>
        {
            int taken = 0;
            try
            {
                Assert.Equal(s.Message, await s.Pending!.Within());
                taken++;
            }
            catch (OperationCanceledException)
            {
                // Took nothing: the message, if sent, is still there.
            }

            while (s.Pair.Port.TryRecv(out int message))
            {
                Assert.Equal(s.Message, message);
                taken++;
            }

            Assert.Equal(s.Sent ? 1 : 0, taken);
            s.Dispose();
        },
        s => s.Cancel.Cancel(),
        s => s.Sent = s.Pair.Chan.TrySend(s.Message));

    private sealed class BlockingRecvCancelState(string kind, int iteration) : IDisposable
    {
        public readonly (Port<int> Port, ITestSender<int> Chan) Pair = New<int>(kind);
        public readonly CancellationTokenSource Cancel = new();
        public readonly int Message = iteration;
        public int? Received;
        public bool Cancelled;
        public bool Sent;

        public void Dispose() => Cancel.Dispose();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task Recv_CancelRacingTrySend_TheMessageIsTakenExactlyOnce(string kind) => Race.Repeat(
        s_races,
        i => new BlockingRecvCancelState(kind, i),
        s =>
        {
            int taken = s.Received is null ? 0 : 1;
            Assert.True(s.Received is null || s.Received == s.Message);
            Assert.True(s.Cancelled != (s.Received is not null));
            while (s.Pair.Port.TryRecv(out int message))
            {
                Assert.Equal(s.Message, message);
                taken++;
            }

            Assert.Equal(s.Sent ? 1 : 0, taken);
            s.Dispose();
        },
        s =>
        {
            try
            {
                s.Received = s.Pair.Port.Recv(s.Cancel.Token);
            }
            catch (OperationCanceledException)
            {
                s.Cancelled = true;
            }
        },
        s => s.Cancel.Cancel(),
        s => s.Sent = s.Pair.Chan.TrySend(s.Message));

    private sealed class SendCancelState(string kind, int iteration) : IDisposable
    {
        public readonly (Port<int> Port, ITestSender<int> Chan) Pair = New<int>(kind);
        public readonly CancellationTokenSource Cancel = new();
        public readonly bool Blocking = iteration % 2 == 0;
        public bool Accepted;
        public bool Cancelled;
        public readonly List<int> Received = [];

        public void Dispose() => Cancel.Dispose();
    }

    /// <summary>
    /// A full channel (holding 1; nothing for a rendezvous) and a send of 2 that has to wait;
    /// one thread cancels it while another receives. Then the same handle sends 3 and 4, which
    /// must find its wait state clean. The receiver sees 1, then 2 exactly when the send of 2
    /// returned normally, then 3 and 4.
    /// </summary>
    [Theory]
    [MemberData(nameof(WaitingKinds))]
    public Task Send_CancelRacingRecv_DeliveredOnceOrNotAtAll_AndTheHandleStaysUsable(string kind) => Race.Repeat(
        s_races,
        i =>
        {
            var s = new SendCancelState(kind, i);
            if (kind != "rendezvous")
            {
                Assert.True(s.Pair.Chan.TrySend(1));
            }

            return s;
        },
        s =>
        {
            List<int> expected = kind == "rendezvous" ? [] : [1];
            if (s.Accepted)
            {
                expected.Add(2);
            }

            Assert.True(s.Accepted != s.Cancelled);
            Assert.Equal([.. expected, 3, 4], s.Received);
            s.Dispose();
        },
        s =>
        {
            using CancellationTokenSource deadline = Bounded.Deadline();
            try
            {
                if (s.Blocking)
                {
                    s.Pair.Chan.Send(2, s.Cancel.Token);
                }
                else if (!s.Pair.Chan.SendAsync(2, s.Cancel.Token).AsTask().Wait(Bounded.Timeout))
                {
                    throw new TimeoutException("The send of 2 never ended.");
                }

                s.Accepted = true;
            }
            catch (Exception e) when (e is OperationCanceledException || e.InnerException is OperationCanceledException)
            {
                s.Cancelled = true;
            }

            s.Pair.Chan.Send(3, deadline.Token);
            s.Pair.Chan.Send(4, deadline.Token);
        },
        s => s.Cancel.Cancel(),
        s =>
        {
            using CancellationTokenSource deadline = Bounded.Deadline();
            while (s.Received.Count == 0 || s.Received[^1] != 4)
            {
                s.Received.Add(s.Pair.Port.Recv(deadline.Token));
            }
        });

    // ---------------------------------------------------------------------------------------
    // Conservation: many producers, one receiver, every message once and in per-producer order.

    [Theory]
    [InlineData(null)]
    [InlineData(1024)]
    public async Task SharedChan_SixteenProducers_EveryMessageOnceInPerProducerOrder(int? capacity)
    {
        const int Producers = 16;

        int perProducer = StressScale.Count(100_000);
        var (port, first) = capacity is int c ? SharedChan.New<long>(c) : SharedChan.New<long>();
        SharedChan<long>[] clones = [.. Enumerable.Range(0, Producers).Select(_ => first.Clone())];
        first.Close();

        using var start = new Barrier(Producers + 1);
        Task[] producers = [.. clones.Select((clone, producer) => Bounded.OnThread(() =>
        {
            start.SignalAndWait(Bounded.Timeout);
            for (int seq = 0; seq < perProducer; seq++)
            {
                clone.Send(((long)producer << 32) | (uint)seq);
            }

            clone.Close();
        }).Task)];

        Task<int[]> consumer = Bounded.OnThread(() =>
        {
            int[] next = new int[Producers];
            start.SignalAndWait(Bounded.Timeout);
            using var deadline = new CancellationTokenSource(StressScale.RunTimeout);
            foreach (long message in port.Iter(deadline.Token))
            {
                int producer = (int)(message >> 32);
                int seq = (int)(uint)message;
                if (seq != next[producer])
                {
                    throw new InvalidOperationException($"Producer {producer}: got {seq}, expected {next[producer]}.");
                }

                next[producer]++;
            }

            return next;
        }).Task;

        int[] counts = await consumer.WaitAsync(StressScale.RunTimeout);
        await Task.WhenAll(producers).WaitAsync(Bounded.Timeout);
        Assert.All(counts, n => Assert.Equal(perProducer, n));
        Assert.True(port.IsCompleted);
        await port.Completion.Within();
    }

    [Theory]
    [InlineData("unbounded")]
    [InlineData("bounded")]
    [InlineData("rendezvous")]
    public async Task Chan_ManyMessagesAsync_EveryMessageOnceInOrder(string kind)
    {
        int messages = StressScale.Count(100_000);
        var (port, chan) = New<int>(kind);
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < messages; i++)
            {
                await chan.SendAsync(i);
            }

            chan.Close();
        });

        int expected = 0;
        using var deadline = new CancellationTokenSource(StressScale.RunTimeout);
        await foreach (int message in port.WithCancellation(deadline.Token))
        {
            Assert.Equal(expected++, message);
        }

        Assert.Equal(messages, expected);
        await producer.Within();
    }
}
