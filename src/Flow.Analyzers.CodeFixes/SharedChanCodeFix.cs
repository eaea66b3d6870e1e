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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Flow.Analyzers;

/// <summary>
/// FLOW001: make the chan a SharedChan and hand each task its own Clone(). The chan must be created in
/// this method by a deconstruction of Chan.New. A spawned closure that captures only the chan becomes
/// <c>Spawn(chan.Clone(), static chan => ...)</c>, so the task owns its clone and closes it when it ends;
/// a closure that captures more gets a clone made just before the spawn; a Spawn(state, body) that hands
/// the chan over gets <c>chan.Clone()</c>. The spawning code keeps the original, and closes it after the
/// last spawn when it does not use it again.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SharedChanCodeFix))]
[Shared]
internal sealed class SharedChanCodeFix : CodeFixProvider
{
    private const string Title = "Make it a SharedChan and hand each task its own Clone()";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ChanOwnedTwice);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || FlowTypes.Create(model.Compilation) is not FlowTypes flow)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not IdentifierNameSyntax reference
                || model.GetSymbolInfo(reference, context.CancellationToken).Symbol is not ILocalSymbol local
                || Plan.Create(local, model, flow, context.CancellationToken) is not Plan plan)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => plan.ApplyAsync(context.Document, ct), equivalenceKey: nameof(SharedChanCodeFix)),
                diagnostic);
        }
    }

    /// <summary>Everything the fix changes, worked out before anything is changed (no plan, no fix).</summary>
    private sealed class Plan
    {
        private readonly ILocalSymbol _chan;
        private readonly SimpleNameSyntax _creationType;
        private readonly TypeSyntax? _declaredType;
        private readonly List<(StatementSyntax Before, string Name, List<IdentifierNameSyntax> Uses)> _clones = new();
        private readonly List<IdentifierNameSyntax> _handovers = new();
        private readonly List<(ArgumentListSyntax Arguments, ParenthesizedLambdaExpressionSyntax Closure)> _closuresToState = new();
        private readonly TypeSyntax _sharedType;
        private StatementSyntax? _closeAfter;

        private Plan(ILocalSymbol chan, SimpleNameSyntax creationType, TypeSyntax? declaredType, TypeSyntax sharedType)
        {
            _chan = chan;
            _creationType = creationType;
            _declaredType = declaredType;
            _sharedType = sharedType;
        }

        public static Plan? Create(ILocalSymbol chan, SemanticModel model, FlowTypes flow, CancellationToken cancellationToken)
        {
            if (!FlowTypes.Is(chan.Type, flow.ChanOfT) || flow.SharedChanOfT is null
                || VariableFlow.Declaration(chan, cancellationToken) is not SingleVariableDesignationSyntax designation
                || designation.SyntaxTree != model.SyntaxTree)
            {
                return null;
            }

            // var (port, chan) = Chan.New<T>(...); or (Port<T> port, Chan<T> chan) = Chan.New<T>(...);
            SyntaxNode top = designation;
            while (top.Parent is ParenthesizedVariableDesignationSyntax or DeclarationExpressionSyntax or ArgumentSyntax or TupleExpressionSyntax)
            {
                top = top.Parent;
            }

            if (top.Parent is not AssignmentExpressionSyntax { Right: InvocationExpressionSyntax creation } assignment || assignment.Left != top
                || creation.Expression is not MemberAccessExpressionSyntax { Expression: ExpressionSyntax chanClass }
                || model.GetSymbolInfo(creation, cancellationToken).Symbol is not IMethodSymbol { Name: "New" } newMethod
                || !FlowTypes.Is(newMethod.ContainingType, flow.Chan)
                || assignment.Parent is not ExpressionStatementSyntax declarationStatement)
            {
                return null;
            }

            SimpleNameSyntax? creationType = chanClass switch
            {
                SimpleNameSyntax simple => simple,
                MemberAccessExpressionSyntax qualified => qualified.Name,
                _ => null,
            };
            if (creationType is null)
            {
                return null;
            }

            TypeSyntax? declaredType = designation.Parent is DeclarationExpressionSyntax { Type: TypeSyntax type } && !type.IsVar ? type : null;
            ITypeSymbol message = ((INamedTypeSymbol)chan.Type).TypeArguments[0];
            TypeSyntax sharedType = ParseTypeName(flow.SharedChanOfT.Construct(message).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .WithAdditionalAnnotations(Simplifier.Annotation);
            var plan = new Plan(chan, creationType, declaredType, sharedType);

            // Who takes the chan: each task gets a clone of its own.
            SyntaxNode root = VariableFlow.Root(designation);
            var variables = new VariableFlow(model, flow, cancellationToken);
            List<IdentifierNameSyntax> uses = variables.References(root, new ISymbol[] { chan })[chan];
            var byClosure = new Dictionary<SpawnCall, List<IdentifierNameSyntax>>();
            SpawnCall? last = null;
            foreach (IdentifierNameSyntax use in uses)
            {
                if (variables.Owner(use, designation, root) is not (SpawnCall spawn, MoveKind kind))
                {
                    continue;
                }

                if (last is null || spawn.Invocation.SpanStart > last.Invocation.SpanStart)
                {
                    last = spawn;
                }

                if (kind == MoveKind.Handover)
                {
                    plan._handovers.Add(use);
                }
                else
                {
                    if (!byClosure.TryGetValue(spawn, out List<IdentifierNameSyntax>? list))
                    {
                        byClosure[spawn] = list = new List<IdentifierNameSyntax>();
                    }

                    list.Add(use);
                }
            }

            if (last is null)
            {
                return null;
            }

            var taken = new HashSet<string>(root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
            var statements = new HashSet<StatementSyntax>();
            int n = 0;
            foreach (KeyValuePair<SpawnCall, List<IdentifierNameSyntax>> closure in byClosure.OrderBy(c => c.Key.Invocation.SpanStart))
            {
                if (CanHandOver(closure.Key, chan, model, cancellationToken) is ParenthesizedLambdaExpressionSyntax lambda)
                {
                    plan._closuresToState.Add((closure.Key.Invocation.ArgumentList, lambda));
                    continue;
                }

                // The clone is declared just before the statement that spawns, which must sit in a block.
                StatementSyntax? statement = closure.Key.Invocation.FirstAncestorOrSelf<StatementSyntax>();
                if (statement?.Parent is not BlockSyntax || !statements.Add(statement))
                {
                    return null;
                }

                string name;
                do
                {
                    name = chan.Name + (++n).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                while (taken.Contains(name) || model.LookupSymbols(statement.SpanStart, name: name).Any());

                plan._clones.Add((statement, name, closure.Value));
            }

            // The spawning code keeps the original: close it after the last spawn unless it is used again.
            bool usedAfter = uses.Any(u => u.SpanStart > last.Invocation.Span.End && variables.Owner(u, designation, root) is null);
            if (!usedAfter && declarationStatement.Parent is BlockSyntax block)
            {
                plan._closeAfter = last.Invocation.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == block);
            }

            return plan;
        }

        /// <summary>
        /// The closure, when the spawn can take the chan as its state instead: a parameterless lambda that captures
        /// nothing but the chan, passed first, to a Spawn that has a Spawn(state, body) form for the same body shape.
        /// </summary>
        private static ParenthesizedLambdaExpressionSyntax? CanHandOver(SpawnCall spawn, ILocalSymbol chan, SemanticModel model, CancellationToken cancellationToken)
        {
            SeparatedSyntaxList<ArgumentSyntax> arguments = spawn.Invocation.ArgumentList.Arguments;
            if (spawn.Kind != SpawnKind.Spawn || spawn.State is not null
                || spawn.Closure is not ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 0 } lambda
                || arguments.Count == 0 || arguments[0].Expression != spawn.Body || arguments[0].NameColon is not null)
            {
                return null;
            }

            Captures captures = Captures.Of(lambda, model, cancellationToken);
            if (captures.This || captures.LocalFunction || captures.Variables.Count != 1
                || !SymbolEqualityComparer.Default.Equals(captures.Variables[0].Variable, chan))
            {
                return null;
            }

            string? shape = BodyShape(spawn.Method.OriginalDefinition, parameterIndex: 0);
            bool hasStateForm = shape is not null && spawn.Method.ContainingType.GetMembers(spawn.Method.Name)
                .OfType<IMethodSymbol>()
                .Any(m => m.Parameters.Length >= 2 && m.Parameters[0].Name == "state" && BodyShape(m, parameterIndex: 1) == shape);
            return hasStateForm ? lambda : null;
        }

        /// <summary>What the body delegate returns: void, Task, Task&lt;T&gt; or T (a type parameter).</summary>
        private static string? BodyShape(IMethodSymbol method, int parameterIndex)
        {
            if (method.Parameters.Length <= parameterIndex
                || method.Parameters[parameterIndex].Type is not INamedTypeSymbol { DelegateInvokeMethod: IMethodSymbol invoke })
            {
                return null;
            }

            return invoke.ReturnType switch
            {
                { SpecialType: SpecialType.System_Void } => "void",
                ITypeParameterSymbol => "T",
                INamedTypeSymbol { Name: "Task", IsGenericType: false } => "Task",
                INamedTypeSymbol { Name: "Task", IsGenericType: true } => "Task<T>",
                _ => null,
            };
        }

        public async Task<Document> ApplyAsync(Document document, CancellationToken cancellationToken)
        {
            DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);

            editor.ReplaceNode(_creationType, Rename(_creationType, "SharedChan"));
            if (_declaredType is SimpleNameSyntax declared)
            {
                editor.ReplaceNode(declared, Rename(declared, "SharedChan"));
            }

            foreach ((StatementSyntax before, string name, List<IdentifierNameSyntax> uses) in _clones)
            {
                LocalDeclarationStatementSyntax clone = LocalDeclarationStatement(
                    VariableDeclaration(
                        _sharedType,
                        SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(CloneOf())))))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                editor.InsertBefore(before, clone);
                foreach (IdentifierNameSyntax use in uses)
                {
                    editor.ReplaceNode(use, IdentifierName(name).WithTriviaFrom(use));
                }
            }

            foreach ((ArgumentListSyntax arguments, ParenthesizedLambdaExpressionSyntax lambda) in _closuresToState)
            {
                // Spawn(() => ...) -> Spawn(chan.Clone(), static chan => ...): the lambda's parameter shadows the chan.
                SyntaxToken staticKeyword = Token(lambda.GetLeadingTrivia(), SyntaxKind.StaticKeyword, TriviaList(Space));
                SimpleLambdaExpressionSyntax owned = SimpleLambdaExpression(
                    lambda.AttributeLists,
                    lambda.WithoutLeadingTrivia().Modifiers.Insert(0, staticKeyword),
                    Parameter(Identifier(_chan.Name)).WithTrailingTrivia(lambda.ParameterList.GetTrailingTrivia()),
                    lambda.ArrowToken,
                    lambda.Block,
                    lambda.ExpressionBody);
                var items = new List<SyntaxNodeOrToken>
                {
                    Argument(CloneOf()),
                    Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space),
                    arguments.Arguments[0].WithExpression(owned),
                };
                items.AddRange(arguments.Arguments.GetWithSeparators().Skip(1));
                editor.ReplaceNode(arguments, arguments.WithArguments(SeparatedList<ArgumentSyntax>(items)));
            }

            foreach (IdentifierNameSyntax use in _handovers)
            {
                editor.ReplaceNode(use, CloneOf().WithTriviaFrom(use));
            }

            if (_closeAfter is not null)
            {
                editor.InsertAfter(
                    _closeAfter,
                    ExpressionStatement(InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(_chan.Name), IdentifierName("Close"))))
                        .WithAdditionalAnnotations(Formatter.Annotation));
            }

            return editor.GetChangedDocument();
        }

        private InvocationExpressionSyntax CloneOf() =>
            InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(_chan.Name), IdentifierName("Clone")));

        private static SimpleNameSyntax Rename(SimpleNameSyntax name, string newName) => name switch
        {
            GenericNameSyntax generic => generic.WithIdentifier(Identifier(newName).WithTriviaFrom(generic.Identifier)),
            _ => IdentifierName(Identifier(newName).WithTriviaFrom(name.Identifier)),
        };
    }
}
