// Flow's own: select over ports of different types, with a timeout.
namespace Flow.Guide;

internal static class SelectExamples
{
    public static async Task<bool> SelectWithTimeoutAsync(TextWriter output)
    {
        #region select-timeout
        var (numbers, numberChan) = Chan.New<int>();
        var (words, wordChan) = Chan.New<string>();
        numberChan.Send(7);
        wordChan.Send("seven");

        var seen = new List<string>();
        for (int round = 0; round < 3; round++)
        {
            await Select
                .Case(numbers, n => seen.Add($"number {n}"))
                .Case(words, w => seen.Add($"word {w}"))
                .Timeout(TimeSpan.FromMilliseconds(50), () => seen.Add("timeout"))
                .RunAsync();
        }
        #endregion

        foreach (string line in seen)
        {
            output.WriteLine($"   {line}");
        }

        return seen.Count == 3 && seen.Contains("number 7") && seen.Contains("word seven") && seen[2] == "timeout";
    }
}
