using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Flow.Analyzers.Tests.Infrastructure;

/// <summary>Runs an analyzer (and a code fix) over test sources compiled against Flow, offline.</summary>
internal static class Verify
{
    /// <summary>The usings every test source starts with, as a Flow user's file would.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Flow;
        using static Flow.Tasks;

        """;

    /// <summary>An expected diagnostic; its additional locations (the spawn it refers to, the write) are checked only where a test adds them.</summary>
    public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, SeverityOf(id)).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    /// <summary>Checks that <typeparamref name="TAnalyzer"/> reports exactly <paramref name="expected"/> (plus the markup's) on <paramref name="source"/>.</summary>
    public static Task Analyzer<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        Analyzer<TAnalyzer>(source, OutputKind.DynamicallyLinkedLibrary, expected);

    public static Task Analyzer<TAnalyzer>(string source, OutputKind outputKind, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = Usings + source };
        Configure(test.TestState, outputKind);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Checks the diagnostics on <paramref name="source"/>, then that the fix turns it into <paramref name="fixedSource"/>.</summary>
    public static Task CodeFix<TAnalyzer, TFix>(string source, string fixedSource, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new() =>
        CodeFix<TAnalyzer, TFix>(source, fixedSource, remaining: [], expected);

    /// <summary>As <see cref="CodeFix{TAnalyzer, TFix}(string, string, DiagnosticResult[])"/>, with the diagnostics left after the fix.</summary>
    public static Task CodeFix<TAnalyzer, TFix>(string source, string fixedSource, DiagnosticResult[] remaining, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
        };
        Configure(test.TestState, OutputKind.DynamicallyLinkedLibrary);
        Configure(test.FixedState, OutputKind.DynamicallyLinkedLibrary);
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.ExpectedDiagnostics.AddRange(remaining);
        return test.RunAsync();
    }

    private static void Configure(SolutionState state, OutputKind outputKind)
    {
        state.ReferenceAssemblies = FlowReferences.None;
        state.AdditionalReferences.AddRange(FlowReferences.Metadata);
        state.OutputKind = outputKind;
    }

    private static DiagnosticSeverity SeverityOf(string id) => id switch
    {
        DiagnosticIds.ChanOwnedTwice => DiagnosticSeverity.Error,
        DiagnosticIds.NonStaticStateBody => DiagnosticSeverity.Info,
        _ => DiagnosticSeverity.Warning,
    };
}
