using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flow.Analyzers;

/// <summary>FLOW004: add <c>static</c> to the body of Spawn(state, body) when it captures nothing.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeStaticCodeFix))]
[Shared]
internal sealed class MakeStaticCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NonStaticStateBody);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.ContainsKey(OwnershipAnalyzer.CapturesNothing))
            {
                continue;
            }

            AnonymousFunctionExpressionSyntax? closure = root.FindToken(diagnostic.Location.SourceSpan.Start)
                .Parent?.AncestorsAndSelf().OfType<AnonymousFunctionExpressionSyntax>().FirstOrDefault();
            if (closure is null || SpawnCall.IsStatic(closure))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make the lambda static",
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(closure, MakeStatic(closure)))),
                    equivalenceKey: nameof(MakeStaticCodeFix)),
                diagnostic);
        }
    }

    private static AnonymousFunctionExpressionSyntax MakeStatic(AnonymousFunctionExpressionSyntax closure)
    {
        SyntaxTriviaList leading = closure.GetLeadingTrivia();
        AnonymousFunctionExpressionSyntax bare = closure.WithoutLeadingTrivia();
        SyntaxToken keyword = SyntaxFactory.Token(leading, SyntaxKind.StaticKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return bare.WithModifiers(bare.Modifiers.Insert(0, keyword));
    }
}
