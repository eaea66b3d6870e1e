using System.Threading.Tasks.Dataflow;

namespace Flow.Tests.Channels;

/// <summary>
/// Races between the Dataflow protocols and plain sends and receives, each once a bug: a message
/// received twice while a target accepted it, and the last message refused by a propagated Complete.
/// </summary>
public sealed class DataflowRegressionTests
{
    /// <summary>Accepts inside OfferMessage, then holds the offer open until released.</summary>
    private sealed class GatedTarget : ITargetBlock<int>, IDisposable
    {
        public TaskCompletionSource<int> Offered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Release { get; } = new();

        public Task Completion => Task.CompletedTask;

        public DataflowMessageStatus OfferMessage(DataflowMessageHeader messageHeader, int messageValue, ISourceBlock<int>? source, bool consumeToAccept)
        {
            Offered.TrySetResult(messageValue);
            Release.Wait(Bounded.Timeout);
            return DataflowMessageStatus.Accepted;
        }

        public void Complete()
        {
        }

        public void Fault(Exception exception)
        {
        }

        public void Dispose() => Release.Dispose();
    }

    [Fact]
    public async Task TryRecv_WhileATargetIsAcceptingTheHeldMessage_NeverGetsItToo()
    {
        var (port, chan) = Chan.New<int>();
        using var target = new GatedTarget();
        using IDisposable link = port.LinkTo(target);
        chan.Send(1);
        Assert.Equal(1, await target.Offered.Task.Within());

        // The receive runs while the offer is open (the release comes later, from elsewhere); it
        // must wait the offer out instead of taking the message being accepted.
        Task release = Task.Run(async () =>
        {
            await Task.Delay(50);
            target.Release.Set();
        });
        bool took = port.TryRecv(out int message);
        await release.Within();

        Assert.False(took && message == 1, $"TryRecv took {message}, which the target accepted.");
    }

    [Fact]
    public async Task Recv_RightAfterReceiveAsyncReturned_GetsTheNextMessage()
    {
        for (int round = 0; round < 200; round++)
        {
            var (port, chan) = Chan.New<int>();
            Task<int> first = DataflowBlock.ReceiveAsync(port);
            chan.Send(1);
            chan.Send(2);

            Assert.Equal(1, await first.Within());
            Assert.Equal(2, await port.RecvAsync().Within());
        }
    }

    [Fact]
    public async Task TryRecv_WhileATargetHoldsAReservation_DoesNotOvertakeTheReservedMessage()
    {
        var (port, chan) = Chan.New<int>();
        var postponer = new BatchBlock<int>(2, new GroupingDataflowBlockOptions { Greedy = false });
        using IDisposable link = port.LinkTo(postponer);
        chan.Send(1);
        chan.Send(2);
        await Bounded.Eventually(() => port.Count == 1, "the port holds message 1 for the offer");

        bool reserved = ((ISourceBlock<int>)port).ReserveMessage(new DataflowMessageHeader(1), postponer);
        bool took = port.TryRecv(out int overtaking);

        Assert.True(reserved, "Message 1 (header 1) could not be reserved.");
        Assert.False(took, $"TryRecv took {overtaking} while message 1 was reserved.");
        ((ISourceBlock<int>)port).ReleaseReservation(new DataflowMessageHeader(1), postponer);
        link.Dispose();
        Assert.Equal(1, await port.RecvAsync().Within());
        Assert.Equal(2, await port.RecvAsync().Within());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public async Task LinkedSource_CompletingRightAfterItsLastOffer_LosesNothing(int capacity)
    {
        for (int round = 0; round < 50; round++)
        {
            var (port, chan) = Chan.New<int>(capacity);
            var source = new BufferBlock<int>();
            source.LinkTo(chan, new DataflowLinkOptions { PropagateCompletion = true });
            for (int i = 0; i < 5; i++)
            {
                source.Post(i);
            }

            source.Complete();

            var received = new List<int>();
            using CancellationTokenSource deadline = Bounded.Deadline();
            await foreach (int message in port.WithCancellation(deadline.Token))
            {
                received.Add(message);
            }

            Assert.Equal([0, 1, 2, 3, 4], received);
        }
    }
}
