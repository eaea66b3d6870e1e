using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flow.Analyzers;

/// <summary>
/// FLOW001 (a chan has one owner), FLOW002 (a spawned task shares a mutable local) and FLOW004 (the body of
/// Spawn(state, body) should be static): the ownership rules of the guide, checked at each spawn-like call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class OwnershipAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The property of a FLOW004 diagnostic that says the lambda captures nothing (so 'static' can be added).</summary>
    internal const string CapturesNothing = "CapturesNothing";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ChanOwnedTwice, Descriptors.SharedMutableLocal, Descriptors.NonStaticStateBody);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (FlowTypes.Create(start.Compilation) is FlowTypes flow)
            {
                // One member body at a time: the spawns are collected as the driver walks the body, and analyzed
                // at its end, so every diagnostic (a use after the spawn, too) is local to the body it is in.
                start.RegisterCodeBlockStartAction<SyntaxKind>(block => AnalyzeCodeBlock(block, flow));
            }
        });
    }

    private static void AnalyzeCodeBlock(CodeBlockStartAnalysisContext<SyntaxKind> block, FlowTypes flow)
    {
        var candidates = new List<InvocationExpressionSyntax>();
        block.RegisterSyntaxNodeAction(
            c =>
            {
                var invocation = (InvocationExpressionSyntax)c.Node;
                if (SpawnCall.MayBeSpawn(SpawnCall.InvokedName(invocation)))
                {
                    lock (candidates)
                    {
                        candidates.Add(invocation);
                    }
                }
            },
            SyntaxKind.InvocationExpression);

        block.RegisterCodeBlockEndAction(end =>
        {
            InvocationExpressionSyntax[] invocations;
            lock (candidates)
            {
                invocations = candidates.ToArray();
            }

            if (invocations.Length == 0)
            {
                return;
            }

            var context = new Context(end.SemanticModel, end.ReportDiagnostic, end.CancellationToken);
            var variables = new VariableFlow(end.SemanticModel, flow, end.CancellationToken);
            foreach (InvocationExpressionSyntax invocation in invocations.OrderBy(i => i.SpanStart))
            {
                if (variables.Spawn(invocation) is SpawnCall spawn)
                {
                    AnalyzeSpawn(context, flow, variables, spawn);
                }
            }
        });
    }

    /// <summary>What the analysis of one body needs from its callback.</summary>
    private readonly struct Context
    {
        public Context(SemanticModel semanticModel, Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken)
        {
            SemanticModel = semanticModel;
            Report = report;
            CancellationToken = cancellationToken;
        }

        public SemanticModel SemanticModel { get; }

        public Action<Diagnostic> Report { get; }

        public System.Threading.CancellationToken CancellationToken { get; }

        public void ReportDiagnostic(Diagnostic diagnostic) => Report(diagnostic);
    }

    private static void AnalyzeSpawn(Context context, FlowTypes flow, VariableFlow variables, SpawnCall spawn)
    {
        AnonymousFunctionExpressionSyntax? closure = spawn.Closure;
        Captures? captures = closure is null ? null : Captures.Of(closure, context.SemanticModel, context.CancellationToken);

        // FLOW004: Spawn(state, body) with a body that is a lambda but not a static one.
        if (spawn.State is not null && closure is not null && !SpawnCall.IsStatic(closure) && captures is not null)
        {
            string what = captures.Nothing ? string.Empty : " (it captures " + string.Join(", ", captures.Names().Select(n => "'" + n + "'")) + ")";
            ImmutableDictionary<string, string?> properties = captures.Nothing
                ? ImmutableDictionary<string, string?>.Empty.Add(CapturesNothing, "true")
                : ImmutableDictionary<string, string?>.Empty;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.NonStaticStateBody,
                Location.Create(closure.SyntaxTree, SpawnCall.HeadSpan(closure)),
                properties,
                what));
        }

        // The variables this spawn takes: what its closure captures, and the locals its state hands over.
        var taken = new List<ISymbol>();
        if (captures is not null)
        {
            taken.AddRange(captures.Variables.Select(c => c.Variable));
        }

        foreach (IdentifierNameSyntax handed in HandedOver(spawn.State))
        {
            ISymbol? symbol = context.SemanticModel.GetSymbolInfo(handed, context.CancellationToken).Symbol;
            if (symbol is ILocalSymbol or IParameterSymbol
                && flow.IsExclusiveEnd(TypeOf(symbol))
                && !taken.Contains(symbol, SymbolEqualityComparer.Default))
            {
                taken.Add(symbol);
            }
        }

        if (taken.Count == 0)
        {
            return;
        }

        SyntaxNode root = VariableFlow.Root(spawn.Invocation);
        Dictionary<ISymbol, List<IdentifierNameSyntax>> references = variables.References(root, taken);
        foreach (ISymbol variable in taken)
        {
            List<IdentifierNameSyntax> uses = references[variable];
            SyntaxNode? declaration = VariableFlow.Declaration(variable, context.CancellationToken);
            if (flow.IsExclusiveEnd(TypeOf(variable)))
            {
                AnalyzeExclusiveEnd(context, variables, spawn, variable, declaration, uses, root);
            }

            if (closure is not null && captures is not null && captures.Variables.Any(c => SymbolEqualityComparer.Default.Equals(c.Variable, variable)))
            {
                AnalyzeSharedLocal(context, spawn, closure, variable, declaration, uses, root);
            }
        }
    }

    /// <summary>FLOW001 for one chan (or duplex end) that <paramref name="spawn"/> takes.</summary>
    private static void AnalyzeExclusiveEnd(
        Context context,
        VariableFlow variables,
        SpawnCall spawn,
        ISymbol variable,
        SyntaxNode? declaration,
        List<IdentifierNameSyntax> uses,
        SyntaxNode root)
    {
        var owners = new List<(IdentifierNameSyntax Use, SpawnCall? Owner)>(uses.Count);
        foreach (IdentifierNameSyntax use in uses)
        {
            owners.Add((use, variables.Owner(use, declaration, root)?.Spawn));
        }

        IdentifierNameSyntax? mine = owners.FirstOrDefault(o => o.Owner == spawn).Use;
        if (mine is null)
        {
            return;
        }

        string typeName = DescribeEnd(variable);
        string fix = FixFor(variable);
        int spawnStart = spawn.Invocation.SpanStart;

        // Taken by an earlier task: this one cannot own it too. (The earlier spawn reports the other uses.)
        SpawnCall? earlier = owners
            .Where(o => o.Owner is not null && o.Owner != spawn && o.Owner.Invocation.SpanStart < spawnStart)
            .Select(o => o.Owner)
            .OrderBy(o => o!.Invocation.SpanStart)
            .FirstOrDefault();
        if (earlier is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.ChanOwnedTwice,
                mine.GetLocation(),
                additionalLocations: new[] { earlier.Invocation.GetLocation() },
                variable.Name,
                $"is a {typeName} already owned by the task spawned on line {VariableFlow.Line(earlier.Invocation)}",
                fix));
            return;
        }

        // Spawned in a loop that shares the variable: every iteration's task would own the same chan.
        if (VariableFlow.SharingLoop(spawn.Invocation, declaration, root) is StatementSyntax)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.ChanOwnedTwice,
                mine.GetLocation(),
                variable.Name,
                $"is a {typeName} taken by a task spawned in a loop, so every iteration's task would own it",
                fix));
        }

        // Used by the spawning code after this task took it.
        int spawnEnd = spawn.Invocation.Span.End;
        foreach ((IdentifierNameSyntax use, SpawnCall? owner) in owners)
        {
            if (owner is null && use.SpanStart >= spawnEnd && !IsReassignment(use) && !IsObservation(use))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.ChanOwnedTwice,
                    use.GetLocation(),
                    additionalLocations: new[] { spawn.Invocation.GetLocation() },
                    variable.Name,
                    $"is a {typeName} owned by the task spawned on line {VariableFlow.Line(spawn.Invocation)}, so this code cannot use it any more",
                    fix));
            }
        }
    }

    /// <summary>FLOW002 for one local that the closure of <paramref name="spawn"/> captures.</summary>
    private static void AnalyzeSharedLocal(
        Context context,
        SpawnCall spawn,
        AnonymousFunctionExpressionSyntax closure,
        ISymbol variable,
        SyntaxNode? declaration,
        List<IdentifierNameSyntax> uses,
        SyntaxNode root)
    {
        IdentifierNameSyntax? first = null;
        foreach (IdentifierNameSyntax use in uses)
        {
            if (closure.Span.Contains(use.Span))
            {
                first = use;
                break;
            }
        }

        if (first is null)
        {
            return;
        }

        foreach (IdentifierNameSyntax use in uses)
        {
            if (!VariableFlow.IsWrite(use, variable))
            {
                continue;
            }

            string? when = null;
            if (closure.Span.Contains(use.Span))
            {
                when = $"inside the task (line {VariableFlow.Line(use)})";
            }
            else if (use.SpanStart >= spawn.Invocation.Span.End)
            {
                when = $"after the spawn (line {VariableFlow.Line(use)})";
            }
            else if (VariableFlow.SharingLoop(spawn.Invocation, declaration, root, containing: use) is StatementSyntax loop)
            {
                when = loop is ForStatementSyntax forLoop && forLoop.Incrementors.Any(i => i.Span.Contains(use.Span))
                    ? $"by the for loop's increment (line {VariableFlow.Line(use)}) while the task runs"
                    : $"by the next iteration of the loop (line {VariableFlow.Line(use)})";
            }

            if (when is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SharedMutableLocal,
                    first.GetLocation(),
                    additionalLocations: new[] { use.GetLocation() },
                    variable.Name,
                    when));
                return;
            }
        }
    }

    /// <summary>The identifiers a state hands over: the state itself or the items of a tuple state.</summary>
    private static IEnumerable<IdentifierNameSyntax> HandedOver(ExpressionSyntax? state)
    {
        switch (SpawnCall.Unparenthesize(state))
        {
            case IdentifierNameSyntax id:
                yield return id;
                break;
            case TupleExpressionSyntax tuple:
                foreach (ArgumentSyntax argument in tuple.Arguments)
                {
                    if (SpawnCall.Unparenthesize(argument.Expression) is IdentifierNameSyntax item)
                    {
                        yield return item;
                    }
                }

                break;
        }
    }

    /// <summary>
    /// A look that cannot send, close or hand the chan on: <c>chan.IsClosed</c>, <c>chan.Capacity</c>,
    /// <c>chan.Completion</c>, <c>chan.ToString()</c>, <c>nameof(chan)</c>... Checking that a task closed the
    /// chan it owned is not using it.
    /// </summary>
    private static bool IsObservation(IdentifierNameSyntax use)
    {
        if (use.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } } })
        {
            return true;
        }

        return use.Parent is MemberAccessExpressionSyntax access && access.Expression == use
            && access.Name.Identifier.ValueText is "IsClosed" or "Capacity" or "Completion" or "ToString" or "GetHashCode" or "GetType" or "Equals";
    }

    private static bool IsReassignment(IdentifierNameSyntax use) =>
        use.Parent is AssignmentExpressionSyntax assignment && assignment.Left == use && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression);

    private static ITypeSymbol? TypeOf(ISymbol variable) => variable switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => null,
    };

    private static string DescribeEnd(ISymbol variable) =>
        TypeOf(variable)?.Name == "DuplexStream" ? "DuplexStream end" : "Chan";

    private static string FixFor(ISymbol variable) =>
        TypeOf(variable)?.Name == "DuplexStream"
            ? "give each task a DuplexStream of its own, or talk to the task through the other end"
            : "make it a SharedChan and hand each task its own Clone()";
}
