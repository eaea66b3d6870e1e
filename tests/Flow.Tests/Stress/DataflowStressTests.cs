using System.Threading.Tasks.Dataflow;

namespace Flow.Tests.Stress;

/// <summary>Dataflow interop under repetition: completion propagation must never overtake a message.</summary>
/// <remarks>
/// The opposite direction (a Dataflow source linked to a chan with PropagateCompletion) is not
/// repeated here: the propagated Complete can close the chan between the chan's ConsumeMessage
/// of the source's last message and its send into the core, which drops that message. See the
/// test report; DataflowInteropTests completes its sources only after everything arrived.
/// </remarks>
[Trait("Category", "Stress")]
public sealed class DataflowStressTests
{
    private static readonly DataflowLinkOptions s_propagate = new() { PropagateCompletion = true };

    [Fact]
    public async Task PortLinkedToActionBlock_EveryMessageArrivesBeforeCompletion()
    {
        int rounds = StressScale.Count(1_000);
        for (int round = 0; round < rounds; round++)
        {
            var (port, chan) = Chan.New<int>(round % 3 == 0 ? 0 : 2);
            var received = new System.Collections.Concurrent.ConcurrentQueue<int>();
            var block = new ActionBlock<int>(received.Enqueue);
            using IDisposable link = port.LinkTo(block, s_propagate);

            Task sender = Task.Run(async () =>
            {
                for (int i = 0; i < 5; i++)
                {
                    await chan.SendAsync(i);
                }

                chan.Close();
            });

            await block.Completion.Within();
            await sender.Within();
            Assert.True(received.SequenceEqual(Enumerable.Range(0, 5)), $"Round {round}: received [{string.Join(", ", received)}].");
        }
    }
}
