using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Flow.Analyzers;

/// <summary>
/// FLOW003: replace a blocking Flow call in async code by its awaited async form — RecvAsync, SendAsync,
/// GetAsync, JoinAsync, RunAsync, Select.RecvAsync, TryAsync, or <c>await foreach</c> for Iter.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitCallCodeFix))]
[Shared]
internal sealed class AwaitCallCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BlockingCallInAsync);

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
            if (!diagnostic.Properties.TryGetValue(BlockingCallAnalyzer.FixKind, out string? kind)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not SimpleNameSyntax name
                || name.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not InvocationExpressionSyntax invocation
                || SpawnCall.InvokedNameNode(invocation) != name
                || InsideLock(invocation))
            {
                continue;
            }

            string title;
            switch (kind)
            {
                case BlockingCallAnalyzer.RenameFix when diagnostic.Properties.TryGetValue(BlockingCallAnalyzer.AsyncName, out string? asyncName)
                    && asyncName is not null && invocation.Expression is MemberAccessExpressionSyntax:
                    title = $"Use 'await {asyncName}'";
                    break;
                case BlockingCallAnalyzer.SelectRecvFix:
                    title = "Use 'await Select.RecvAsync'";
                    break;
                case BlockingCallAnalyzer.TryFix:
                    title = "Use 'await TryAsync'";
                    break;
                case BlockingCallAnalyzer.IterFix when invocation.Parent is ForEachStatementSyntax or ForEachVariableStatementSyntax
                    && ((CommonForEachStatementSyntax)invocation.Parent).Expression == invocation
                    && invocation.Expression is MemberAccessExpressionSyntax:
                    title = "Use 'await foreach'";
                    break;
                default:
                    continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(title, ct => FixAsync(context.Document, invocation, kind!, diagnostic, ct), equivalenceKey: nameof(AwaitCallCodeFix)),
                diagnostic);
        }
    }

    private static bool InsideLock(SyntaxNode node)
    {
        foreach (SyntaxNode ancestor in node.Ancestors())
        {
            if (ancestor is LockStatementSyntax)
            {
                return true;
            }

            if (ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
            {
                return false;
            }
        }

        return false;
    }

    private static async Task<Document> FixAsync(Document document, InvocationExpressionSyntax invocation, string kind, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        switch (kind)
        {
            case BlockingCallAnalyzer.IterFix:
                var loop = (CommonForEachStatementSyntax)invocation.Parent!;
                var access = (MemberAccessExpressionSyntax)invocation.Expression;
                ExpressionSyntax source = access.Expression.WithoutTrivia();
                if (invocation.ArgumentList.Arguments.FirstOrDefault() is ArgumentSyntax token)
                {
                    // port.Iter(ct) -> port.WithCancellation(ct)
                    source = InvocationExpression(
                        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, source, IdentifierName("WithCancellation")),
                        ArgumentList(SingletonSeparatedList(Argument(token.Expression.WithoutTrivia()))));
                }

                CommonForEachStatementSyntax awaited = loop
                    .ReplaceNode(invocation, source.WithTriviaFrom(invocation))
                    .WithAwaitKeyword(Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space))
                    .WithLeadingTrivia(loop.GetLeadingTrivia());
                awaited = awaited.WithForEachKeyword(awaited.ForEachKeyword.WithLeadingTrivia());
                return document.WithSyntaxRoot(root.ReplaceNode(loop, awaited));

            case BlockingCallAnalyzer.RenameFix:
                var member = (MemberAccessExpressionSyntax)invocation.Expression;
                string asyncName = diagnostic.Properties[BlockingCallAnalyzer.AsyncName]!;
                InvocationExpressionSyntax renamed = invocation.WithExpression(member.WithName(Rename(member.Name, asyncName)));
                return document.WithSyntaxRoot(root.ReplaceNode(invocation, Await(invocation, renamed)));

            case BlockingCallAnalyzer.SelectRecvFix:
                return document.WithSyntaxRoot(root.ReplaceNode(invocation, Await(invocation, SelectRecvAsync(invocation, model, cancellationToken))));

            case BlockingCallAnalyzer.TryFix:
                return document.WithSyntaxRoot(root.ReplaceNode(invocation, Await(invocation, TryAsync(invocation, model, cancellationToken))));

            default:
                return document;
        }
    }

    private static SimpleNameSyntax Rename(SimpleNameSyntax name, string newName) => name switch
    {
        GenericNameSyntax generic => generic.WithIdentifier(Identifier(newName).WithTriviaFrom(generic.Identifier)),
        _ => IdentifierName(Identifier(newName).WithTriviaFrom(name.GetFirstToken())),
    };

    /// <summary><c>await call</c>, parenthesized where a member access or an indexer follows, with the original's trivia.</summary>
    private static ExpressionSyntax Await(InvocationExpressionSyntax original, ExpressionSyntax call)
    {
        ExpressionSyntax awaited = AwaitExpression(Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space), call.WithoutLeadingTrivia());
        bool needsParentheses = original.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Expression == original,
            ConditionalAccessExpressionSyntax conditional => conditional.Expression == original,
            ElementAccessExpressionSyntax element => element.Expression == original,
            InvocationExpressionSyntax invocation => invocation.Expression == original,
            PostfixUnaryExpressionSyntax => true,
            _ => false,
        };
        if (needsParentheses)
        {
            awaited = ParenthesizedExpression(awaited);
        }

        return awaited.WithTriviaFrom(original);
    }

    /// <summary>Select.Recv(a, b) -> Select.RecvAsync(new[] { a, b }); Select.Recv(list, ct) -> Select.RecvAsync(list, ct).</summary>
    private static InvocationExpressionSyntax SelectRecvAsync(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        InvocationExpressionSyntax renamed = invocation.WithExpression(invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(Rename(access.Name, "RecvAsync")),
            SimpleNameSyntax simple => Rename(simple, "RecvAsync"),
            ExpressionSyntax other => other,
        });

        SeparatedSyntaxList<ArgumentSyntax> arguments = invocation.ArgumentList.Arguments;
        bool expanded = model.GetOperation(invocation, cancellationToken) is Microsoft.CodeAnalysis.Operations.IInvocationOperation operation
            && operation.Arguments.Any(a => a.ArgumentKind == Microsoft.CodeAnalysis.Operations.ArgumentKind.ParamArray);
        if (!expanded || arguments.Count == 0)
        {
            return renamed;
        }

        // The params form: gather the ports into an array (RecvAsync takes IReadOnlyList<Port<T>>).
        ImplicitArrayCreationExpressionSyntax array = ImplicitArrayCreationExpression(
            InitializerExpression(
                SyntaxKind.ArrayInitializerExpression,
                SeparatedList(arguments.Select(a => a.Expression.WithoutTrivia()))));
        return renamed.WithArgumentList(ArgumentList(SingletonSeparatedList(Argument(array))).WithTriviaFrom(invocation.ArgumentList));
    }

    /// <summary>Try(body) -> TryAsync(body that returns a task): Task.FromResult for a value, Task.CompletedTask for none.</summary>
    private static InvocationExpressionSyntax TryAsync(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        InvocationExpressionSyntax renamed = invocation.WithExpression(invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(Rename(access.Name, "TryAsync")),
            SimpleNameSyntax simple => Rename(simple, "TryAsync"),
            ExpressionSyntax other => other,
        });

        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
            || invocation.ArgumentList.Arguments.FirstOrDefault() is not ArgumentSyntax bodyArgument)
        {
            return renamed;
        }

        bool returnsValue = !method.ReturnsVoid && method.IsGenericMethod;
        ExpressionSyntax body = AsyncBody(bodyArgument.Expression, returnsValue, model);
        return renamed.WithArgumentList(renamed.ArgumentList.ReplaceNode(
            renamed.ArgumentList.Arguments[0],
            renamed.ArgumentList.Arguments[0].WithExpression(body)));
    }

    private static ExpressionSyntax AsyncBody(ExpressionSyntax body, bool returnsValue, SemanticModel model)
    {
        switch (body)
        {
            case AnonymousFunctionExpressionSyntax { ExpressionBody: ExpressionSyntax expression } closure:
                if (returnsValue)
                {
                    return expression is ThrowExpressionSyntax ? closure : closure.WithExpressionBody(FromResult(expression).WithTriviaFrom(expression));
                }

                return WithBlock(closure, Block(ExpressionStatement(expression.WithoutTrivia()), ReturnStatement(CompletedTask())));

            case AnonymousFunctionExpressionSyntax { Block: BlockSyntax block } closure:
                BlockSyntax rewritten = (BlockSyntax)new ReturnRewriter(returnsValue).Visit(block);
                if (!returnsValue && EndIsReachable(block, model))
                {
                    rewritten = rewritten.AddStatements(ReturnStatement(CompletedTask()).WithAdditionalAnnotations(Formatter.Annotation));
                }

                return closure.WithBlock(rewritten);

            default:
                // A method group or a delegate: call it inside a lambda that returns a task.
                InvocationExpressionSyntax call = InvocationExpression(SpawnCall.Unparenthesize(body)!.WithoutTrivia());
                ParenthesizedLambdaExpressionSyntax lambda = returnsValue
                    ? ParenthesizedLambdaExpression(FromResult(call))
                    : ParenthesizedLambdaExpression(Block(ExpressionStatement(call), ReturnStatement(CompletedTask())));
                return lambda.WithTriviaFrom(body).WithAdditionalAnnotations(Formatter.Annotation);
        }
    }

    private static AnonymousFunctionExpressionSyntax WithBlock(AnonymousFunctionExpressionSyntax closure, BlockSyntax block) =>
        closure.WithExpressionBody(null).WithBlock(block.WithAdditionalAnnotations(Formatter.Annotation));

    private static bool EndIsReachable(BlockSyntax block, SemanticModel model)
    {
        if (block.Statements.Count == 0)
        {
            return true;
        }

        ControlFlowAnalysis? flow = model.AnalyzeControlFlow(block.Statements.First(), block.Statements.Last());
        return flow is null || !flow.Succeeded || flow.EndPointIsReachable;
    }

    private static ExpressionSyntax TaskType() =>
        ParseExpression("global::System.Threading.Tasks.Task").WithAdditionalAnnotations(Simplifier.Annotation);

    private static InvocationExpressionSyntax FromResult(ExpressionSyntax value) =>
        InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TaskType(), IdentifierName("FromResult")),
            ArgumentList(SingletonSeparatedList(Argument(value.WithoutTrivia()))));

    private static MemberAccessExpressionSyntax CompletedTask() =>
        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TaskType(), IdentifierName("CompletedTask"));

    /// <summary>Rewrites the body's own returns (not those of nested lambdas or local functions) to return tasks.</summary>
    private sealed class ReturnRewriter : CSharpSyntaxRewriter
    {
        private readonly bool _returnsValue;

        public ReturnRewriter(bool returnsValue) => _returnsValue = returnsValue;

        public override SyntaxNode? VisitReturnStatement(ReturnStatementSyntax node)
        {
            if (_returnsValue && node.Expression is ExpressionSyntax value)
            {
                return node.WithExpression(FromResult(value).WithTriviaFrom(value));
            }

            return _returnsValue ? node : node.WithExpression(CompletedTask()).WithReturnKeyword(node.ReturnKeyword.WithTrailingTrivia(Space));
        }

        public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) => node;

        public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) => node;

        public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) => node;

        public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node) => node;
    }
}
