namespace Flow.Tests.Guide;

/// <summary>Runs every example of samples/Flow.Guide in-process; each checks its own result, as `dotnet run` does.</summary>
public class GuideExampleTests
{
    public static TheoryData<string> Examples => new(Flow.Guide.Catalog.All.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_RunsAndPassesItsOwnCheck(string name)
    {
        Flow.Guide.Example example = Flow.Guide.Catalog.All.Single(e => e.Name == name);
        using var output = new StringWriter();

        bool passed = await example.Run(output).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(passed, $"Example '{name}' failed its check. Its output:\n{output}");
    }

    [Fact]
    public void Catalog_NamesAreUnique()
    {
        string[] names = Flow.Guide.Catalog.All.Select(e => e.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
    }
}
