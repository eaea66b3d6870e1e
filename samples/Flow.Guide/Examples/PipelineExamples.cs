// Flow's own: the guide's "contain the failure at a certain boundary (a small piece of malformed
// input processed in parallel)", as a pipeline with a dead-letter chan.
namespace Flow.Guide;

internal static class PipelineExamples
{
    public static async Task<bool> ParseBatchAndSumAsync(TextWriter output)
    {
        string[] lines = ["1", "2", "three", "4", "5", "6", "7,5", "8", "9", "10"];

        #region pipeline
        var (deadLetters, dead) = Chan.New<DeadLetter>();
        long total = 0;

        Pipeline<string> sum = Pipeline.Create<string>(new PipelineOptions { Name = "lines" })
            .Select(int.Parse, new StageOptions { Name = "parse", Parallelism = 4, OnError = ErrorPolicy.RouteTo(dead) })
            .Batch(3, new StageOptions { Name = "batch of 3" })
            .ForEach(batch => total += batch.Sum(), new StageOptions { Name = "sum" });

        foreach (string line in lines)
        {
            await sum.SendAsync(line);
        }

        sum.Complete();
        await sum.Completion;
        dead.Close();

        output.WriteLine($"   total of the well-formed lines: {total}");
        await foreach (DeadLetter letter in deadLetters)
        {
            output.WriteLine($"   dead letter from {letter.Stage}: \"{letter.Item}\" ({letter.Exception.GetType().Name})");
        }

        output.WriteLine(sum.Describe());
        #endregion

        return total == 1 + 2 + 4 + 5 + 6 + 8 + 9 + 10;
    }
}
