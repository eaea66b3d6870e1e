using System.Text;
using System.Text.RegularExpressions;

namespace Flow.Tests.Guide;

/// <summary>
/// The code blocks of docs/guide.md and the <c>#region</c>s of the sample they come from. A block
/// is written as <c>&lt;!-- snippet: NAME --&gt;</c>, a fenced C# block, <c>&lt;!-- end snippet --&gt;</c>.
/// </summary>
internal static partial class Snippets
{
    public const string GuidePath = "docs/guide.md";
    public const string SampleFolder = "samples/Flow.Guide";

    /// <summary>Every region of the sample, by name, its lines dedented to the region's own indentation.</summary>
    public static Dictionary<string, string> SampleRegions()
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(RepoFiles.PathOf(SampleFolder), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                Match start = RegionStart().Match(lines[i]);
                if (!start.Success)
                {
                    continue;
                }

                string name = start.Groups["name"].Value;
                int indent = lines[i].Length - lines[i].TrimStart().Length;
                var body = new List<string>();
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("#endregion", StringComparison.Ordinal); i++)
                {
                    body.Add(lines[i].Length >= indent && string.IsNullOrWhiteSpace(lines[i][..indent]) ? lines[i][indent..] : lines[i].TrimStart());
                }

                if (!regions.TryAdd(name, string.Join('\n', body).TrimEnd()))
                {
                    throw new InvalidOperationException($"Region '{name}' is defined twice in the sample.");
                }
            }
        }

        return regions;
    }

    /// <summary>The snippet blocks of the guide: name and code.</summary>
    public static List<(string Name, string Code)> GuideSnippets(string guide) =>
        SnippetBlock().Matches(guide).Select(m => (m.Groups["name"].Value, m.Groups["code"].Value.Replace("\r", string.Empty, StringComparison.Ordinal).TrimEnd())).ToList();

    /// <summary>The guide with every snippet block's code replaced by its region's.</summary>
    public static string Regenerate(string guide, IReadOnlyDictionary<string, string> regions) =>
        SnippetBlock().Replace(guide, m =>
        {
            string name = m.Groups["name"].Value;
            string code = regions.TryGetValue(name, out string? region) ? region : m.Groups["code"].Value.TrimEnd();
            return new StringBuilder()
                .Append("<!-- snippet: ").Append(name).Append(" -->\n```csharp\n")
                .Append(code).Append("\n```\n<!-- end snippet -->")
                .ToString();
        });

    /// <summary>How many fenced C# blocks the guide has, snippet or not.</summary>
    public static int CSharpBlocks(string guide) => CSharpFence().Count(guide);

    [GeneratedRegex(@"^\s*#region\s+(?<name>[\w-]+)\s*$")]
    private static partial Regex RegionStart();

    [GeneratedRegex(@"<!-- snippet: (?<name>[\w-]+) -->\n```csharp\n(?<code>.*?)```\n<!-- end snippet -->", RegexOptions.Singleline)]
    private static partial Regex SnippetBlock();

    [GeneratedRegex(@"^```csharp\s*$", RegexOptions.Multiline)]
    private static partial Regex CSharpFence();
}
