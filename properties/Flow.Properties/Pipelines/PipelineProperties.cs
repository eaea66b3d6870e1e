using Flow.Properties.Generators;
using Flow.Properties.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Pipelines;

/// <summary>
/// The pipeline laws (DESIGN.md, "Pipelines"): order is kept whatever the parallelism and however
/// long each item takes, an unordered stage loses and invents nothing, and a dead-letter route
/// accounts for every item exactly once.
/// </summary>
public class PipelineProperties
{
    /// <summary>The stage's function on a value: anything that is not the identity, and cheap.</summary>
    private static long F(int value) => ((long)value * 3) + 1;

    /// <summary>
    /// For any input, any parallelism 1..8, any capacity and any per-item pauses (0–2 ms), an
    /// ordered stage puts out exactly <c>input.Select(f)</c>, in input order, then completes.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property Ordered_AnyParallelismAndPauses_OutputIsTheMappedInputInOrder() =>
        Prop.ForAll(PipelineArbs.Items(), PipelineArbs.Shapes(), (items, shape) =>
        {
            List<long> output = Run(items, shape, ordered: true, deadLetters: null, nameof(Ordered_AnyParallelismAndPauses_OutputIsTheMappedInputInOrder));
            Expect.Sequence(items.Select(i => F(i.Value)), output, $"Output of an ordered stage ({shape})");
        });

    /// <summary>
    /// For any input, parallelism, capacity and pauses, an unordered stage puts out the same
    /// multiset as <c>input.Select(f)</c>: every result once, none invented.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property Unordered_AnyParallelismAndPauses_OutputIsTheMappedInputAsAMultiset() =>
        Prop.ForAll(PipelineArbs.Items(), PipelineArbs.Shapes(), (items, shape) =>
        {
            List<long> output = Run(items, shape, ordered: false, deadLetters: null, nameof(Unordered_AnyParallelismAndPauses_OutputIsTheMappedInputAsAMultiset));
            Expect.Sequence(items.Select(i => F(i.Value)).Order(), output.Order(), $"Output of an unordered stage ({shape}), sorted");
        });

    /// <summary>
    /// For any input with any set of failing items, under <see cref="ErrorPolicy.RouteTo(Chan{DeadLetter})"/>:
    /// outputs ∪ dead letters = inputs, each item exactly once; each dead letter carries the item
    /// and the very exception thrown on it; an ordered stage's outputs keep input order.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property RouteTo_AnyFailingItems_OutputsAndDeadLettersPartitionTheInput() =>
        Prop.ForAll(PipelineArbs.ItemsFailingOneIn(4), PipelineArbs.Shapes(), ArbMap.Default.ArbFor<bool>(), (items, shape, ordered) =>
        {
            var (deadPort, deadChan) = Chan.New<DeadLetter>();
            List<long> output = Run(items, shape, ordered, deadChan, nameof(RouteTo_AnyFailingItems_OutputsAndDeadLettersPartitionTheInput));
            deadChan.Close();
            List<DeadLetter> letters = [.. deadPort.Iter()];

            // Each input is told apart by its index: the value carries it in the high bits.
            int[] expectedOut = [.. Enumerable.Range(0, items.Length).Where(i => !items[i].Fails)];
            int[] expectedDead = [.. Enumerable.Range(0, items.Length).Where(i => items[i].Fails)];
            int[] outIndexes = [.. output.Select(o => (int)(o >> 32))];
            int[] deadIndexes = [.. letters.Select(l => ((Indexed)l.Item!).Index)];

            Expect.Sequence(expectedOut, ordered ? outIndexes : outIndexes.Order(), $"Indexes of the outputs ({shape}, {(ordered ? "ordered" : "unordered, sorted")})");
            Expect.Sequence(expectedDead, deadIndexes.Order(), $"Indexes of the dead letters ({shape})");
            foreach (DeadLetter letter in letters)
            {
                var item = (Indexed)letter.Item!;
                Expect.That(letter.Exception is ItemFailed failed && failed.Index == item.Index, $"The dead letter of item {item.Index} carries the exception thrown on it, got {letter.Exception}");
                Expect.Equal("law stage", letter.Stage, "The dead letter's stage");
            }
        });

    /// <summary>An input as the stage sees it: the item and its position.</summary>
    private sealed record Indexed(int Index, Item Item);

    /// <summary>What the stage throws on a failing item.</summary>
    private sealed class ItemFailed(int index) : Exception($"item {index} fails")
    {
        public int Index { get; } = index;
    }

    /// <summary>
    /// Runs <paramref name="items"/> through one <c>SelectAsync</c> stage of <paramref name="shape"/>
    /// into a port and returns what came out. Without dead letters, each output is
    /// <see cref="F"/> of the value; with them, the output is the index (high 32 bits) and the value.
    /// The law's name keeps its deadline apart from the other laws'.
    /// </summary>
    private static List<long> Run(Item[] items, StageShape shape, bool ordered, Chan<DeadLetter>? deadLetters, string law)
    {
        using var deadline = new Deadline(member: law);
        var options = new StageOptions
        {
            Name = "law stage",
            Parallelism = shape.Parallelism,
            Capacity = shape.Capacity,
            Ordered = ordered,
            OnError = deadLetters is null ? ErrorPolicy.FailPipeline : ErrorPolicy.RouteTo(deadLetters),
        };
        var (pipeline, port) = Pipeline.Create<Indexed>(new PipelineOptions { CancellationToken = deadline.Token })
            .SelectAsync(
                async input =>
                {
                    await input.Item.PauseAsync().ConfigureAwait(false);
                    if (input.Item.Fails)
                    {
                        throw new ItemFailed(input.Index);
                    }

                    return deadLetters is null ? F(input.Item.Value) : ((long)input.Index << 32) | (uint)input.Item.Value;
                },
                options)
            .ToPort();

        Task<List<long>> received = Task.Run(async () =>
        {
            var all = new List<long>();
            await foreach (long value in port.WithCancellation(deadline.Token).ConfigureAwait(false))
            {
                all.Add(value);
            }

            return all;
        });

        deadline.Run(
            () =>
            {
                for (int i = 0; i < items.Length; i++)
                {
                    pipeline.Send(new Indexed(i, items[i]));
                }
            },
            "Sending the input");
        pipeline.Complete();
        deadline.Wait(pipeline.Completion, "The pipeline's completion");
        return deadline.Wait(received, "Receiving the output");
    }
}
