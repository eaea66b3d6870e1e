namespace Flow.Tests.Guide;

/// <summary>
/// docs/guide.md never goes stale: every C# block in it is a snippet of the compiled sample, and
/// each must equal the sample region it names. Run with FLOW_UPDATE_GUIDE=1 to rewrite the guide's
/// blocks from the sample (then review the diff).
/// </summary>
public class GuideSnippetTests
{
    [Fact]
    public void EverySnippetOfTheGuide_EqualsTheSampleRegionItNames()
    {
        string path = RepoFiles.PathOf(Snippets.GuidePath);
        string guide = File.ReadAllText(path).Replace("\r", string.Empty, StringComparison.Ordinal);
        Dictionary<string, string> regions = Snippets.SampleRegions();

        if (Environment.GetEnvironmentVariable("FLOW_UPDATE_GUIDE") == "1")
        {
            guide = Snippets.Regenerate(guide, regions);
            File.WriteAllText(path, guide);
        }

        List<(string Name, string Code)> snippets = Snippets.GuideSnippets(guide);
        Assert.NotEmpty(snippets);
        foreach ((string name, string code) in snippets)
        {
            Assert.True(regions.TryGetValue(name, out string? region), $"The guide's snippet '{name}' names no #region in {Snippets.SampleFolder}.");
            Assert.True(code == region, $"The guide's snippet '{name}' differs from the sample. Run the tests with FLOW_UPDATE_GUIDE=1 to regenerate it.\n--- guide ---\n{code}\n--- sample ---\n{region}");
        }
    }

    [Fact]
    public void EveryCSharpBlockOfTheGuide_IsASnippetOfTheSample()
    {
        string guide = File.ReadAllText(RepoFiles.PathOf(Snippets.GuidePath)).Replace("\r", string.Empty, StringComparison.Ordinal);
        Assert.Equal(Snippets.CSharpBlocks(guide), Snippets.GuideSnippets(guide).Count);
    }
}
