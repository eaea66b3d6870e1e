using System.Collections.Immutable;
using Flow.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Flow.Analyzers.Tests;

/// <summary>
/// The guide sample (samples/Flow.Guide, copied next to the tests): its examples are the guide's correct
/// programs and must raise nothing, not even FLOW004's suggestion; its commented-out ill-typed program must
/// raise FLOW001 where the guide's compiler said "ERROR!".
/// </summary>
public class GuideSampleTests
{
    private static readonly string s_sample = Path.Combine(AppContext.BaseDirectory, "GuideSample");

    [Fact]
    public async Task GuideExamples_RaiseNothing()
    {
        string[] files = Directory.GetFiles(s_sample, "*.cs", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("OwnershipExamples.cs", StringComparison.Ordinal));

        var test = new AllAnalyzersTest();
        foreach (string file in files.Order(StringComparer.Ordinal))
        {
            test.TestState.Sources.Add((Path.GetFileName(file), await File.ReadAllTextAsync(file)));
        }

        // What the SDK's implicit usings give the sample.
        test.TestState.Sources.Add(("GlobalUsings.cs", """
            global using System;
            global using System.Collections.Generic;
            global using System.IO;
            global using System.Linq;
            global using System.Threading;
            global using System.Threading.Tasks;
            """));
        Configure(test, OutputKind.ConsoleApplication);
        await test.RunAsync();
    }

    [Fact]
    public async Task IllTypedExample_RaisesFlow001_OnTheSecondCapture()
    {
        string block = await IllTypedBlockAsync();

        // The second `chan` of the block is the one the guide marks "ERROR!".
        int first = block.IndexOf("chan.Send", StringComparison.Ordinal);
        int second = block.IndexOf("chan.Send", first + 1, StringComparison.Ordinal);
        Assert.True(first > 0 && second > first, "the ill-typed block should capture chan twice");
        string marked = block[..second] + "{|#0:chan|}" + block[(second + "chan".Length)..];

        await Verify.Analyzer<OwnershipAnalyzer>(
            Wrap(marked),
            Verify.Diagnostic("FLOW001").WithLocation(0).WithArguments(
                "chan",
                $"is a Chan already owned by the task spawned on line {LineOf(Wrap(block), "Spawn(")}",
                "make it a SharedChan and hand each task its own Clone()"));
    }

    [Fact]
    public async Task IllTypedExample_Fixed_IsTheSamplesOwnershipExample()
    {
        string block = await IllTypedBlockAsync();
        int first = block.IndexOf("chan.Send", StringComparison.Ordinal);
        int second = block.IndexOf("chan.Send", first + 1, StringComparison.Ordinal);
        string marked = block[..second] + "{|#0:chan|}" + block[(second + "chan".Length)..];

        const string fixedBlock = """
            var (port, chan) = SharedChan.New<int>();

            Spawn(chan.Clone(), static chan =>
            {
                chan.Send(Work.SomeExpensiveComputation());
            });

            // ERROR! The previous spawn statement already owns the channel,
            // so the analyzer will not allow it to be captured again
            Spawn(chan.Clone(), static chan =>
            {
                chan.Send(Work.SomeExpensiveComputation());
            });
            chan.Close();
            """;

        await Verify.CodeFix<OwnershipAnalyzer, SharedChanCodeFix>(
            Wrap(marked),
            Wrap(fixedBlock),
            Verify.Diagnostic("FLOW001").WithLocation(0));

        // ...which is the code of the sample's runnable chan-ownership example.
        string sample = await File.ReadAllTextAsync(Path.Combine(s_sample, "Examples", "OwnershipExamples.cs"));
        foreach (string line in fixedBlock.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal) && l.Trim().Length > 0))
        {
            Assert.Contains(line.Trim(), sample, StringComparison.Ordinal);
        }
    }

    /// <summary>The lines between BEGIN ill-typed and END ill-typed in the sample, uncommented.</summary>
    private static async Task<string> IllTypedBlockAsync()
    {
        string[] lines = await File.ReadAllLinesAsync(Path.Combine(s_sample, "Examples", "OwnershipExamples.cs"));
        int begin = Array.FindIndex(lines, l => l.Trim() == "// BEGIN ill-typed");
        int end = Array.FindIndex(lines, l => l.Trim() == "// END ill-typed");
        Assert.True(begin >= 0 && end > begin, "OwnershipExamples.cs should hold a commented-out block between BEGIN ill-typed and END ill-typed");
        IEnumerable<string> body = lines[(begin + 1)..end].Select(l =>
        {
            string trimmed = l.TrimStart();
            return trimmed == "//" ? string.Empty : trimmed.StartsWith("// ", StringComparison.Ordinal) ? l[(l.IndexOf("// ", StringComparison.Ordinal) + 3)..] : l;
        });
        return string.Join("\n", body);
    }

    /// <summary>The block as the body of a method of the sample (Work is the sample's stand-in for expensive work).</summary>
    private static string Wrap(string block)
    {
        string indented = string.Join("\n", block.Split('\n').Select(l => l.Length == 0 ? l : "        " + l));
        return "static class Work\n{\n    public static int SomeExpensiveComputation() => 42;\n}\n\nstatic class Example\n{\n    static void Run()\n    {\n"
            + indented + "\n    }\n}\n";
    }

    /// <summary>The one-based line, in the full test source (usings included), of the first line containing <paramref name="text"/>.</summary>
    private static int LineOf(string wrapped, string text)
    {
        string[] lines = (Verify.Usings + wrapped).Split('\n');
        return Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal)) + 1;
    }

    private static void Configure(AllAnalyzersTest test, OutputKind outputKind)
    {
        test.TestState.ReferenceAssemblies = FlowReferences.None;
        test.TestState.AdditionalReferences.AddRange(FlowReferences.Metadata);
        test.TestState.OutputKind = outputKind;
    }

    /// <summary>Every Flow analyzer at once, as in a build.</summary>
    private sealed class AllAnalyzersTest : CSharpAnalyzerTest<OwnershipAnalyzer, DefaultVerifier>
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
            [new OwnershipAnalyzer(), new BlockingCallAnalyzer(), new ArcAnalyzer()];
    }
}
