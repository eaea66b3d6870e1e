using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flow.Analyzers;

/// <summary>How a spawn-like call takes a variable.</summary>
internal enum MoveKind
{
    /// <summary>Its closure captures the variable.</summary>
    Capture,

    /// <summary>The variable is the state of Spawn(state, body), or an item of a tuple state.</summary>
    Handover,
}

/// <summary>
/// The syntactic facts the ownership rules need about locals: where a member's code is, which references
/// of a variable there are, which spawn takes a reference, what writes a variable and what runs again in a loop.
/// Everything is local to one member body; nothing crosses methods.
/// </summary>
internal sealed class VariableFlow
{
    private readonly SemanticModel _model;
    private readonly FlowTypes _flow;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<InvocationExpressionSyntax, SpawnCall?> _spawns = new();

    public VariableFlow(SemanticModel model, FlowTypes flow, CancellationToken cancellationToken)
    {
        _model = model;
        _flow = flow;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The member whose code contains <paramref name="node"/>: a method, accessor, field... or all top-level statements.</summary>
    public static SyntaxNode Root(SyntaxNode node)
    {
        for (SyntaxNode? current = node; current is not null; current = current.Parent)
        {
            if (current is GlobalStatementSyntax)
            {
                return current.Parent ?? current;
            }

            if (current is MemberDeclarationSyntax)
            {
                return current;
            }
        }

        return node.SyntaxTree.GetRoot();
    }

    /// <summary>Where <paramref name="variable"/> is declared (a declarator, a designation, a parameter...), or null.</summary>
    public static SyntaxNode? Declaration(ISymbol variable, CancellationToken cancellationToken) =>
        variable.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);

    /// <summary>Every reference of the <paramref name="variables"/> in <paramref name="root"/>, in source order.</summary>
    public Dictionary<ISymbol, List<IdentifierNameSyntax>> References(SyntaxNode root, IReadOnlyCollection<ISymbol> variables)
    {
        var result = new Dictionary<ISymbol, List<IdentifierNameSyntax>>(SymbolEqualityComparer.Default);
        var names = new HashSet<string>();
        foreach (ISymbol variable in variables)
        {
            result[variable] = new List<IdentifierNameSyntax>();
            names.Add(variable.Name);
        }

        foreach (SyntaxNode node in root.DescendantNodes())
        {
            if (node is IdentifierNameSyntax id && names.Contains(id.Identifier.ValueText)
                && _model.GetSymbolInfo(id, _cancellationToken).Symbol is ISymbol symbol
                && result.TryGetValue(symbol, out List<IdentifierNameSyntax>? list))
            {
                list.Add(id);
            }
        }

        return result;
    }

    /// <summary>The spawn-like call <paramref name="invocation"/> is, bound once.</summary>
    public SpawnCall? Spawn(InvocationExpressionSyntax invocation)
    {
        if (!_spawns.TryGetValue(invocation, out SpawnCall? spawn))
        {
            spawn = SpawnCall.TryCreate(invocation, _model, _flow, _cancellationToken);
            _spawns[invocation] = spawn;
        }

        return spawn;
    }

    /// <summary>
    /// The spawn that takes <paramref name="reference"/> of a variable declared at <paramref name="declaration"/>:
    /// the innermost spawned closure around it that the variable is declared outside of, or the Spawn(state, body)
    /// whose state is the reference (or a tuple holding it). Null when no task takes it there.
    /// </summary>
    public (SpawnCall Spawn, MoveKind Kind)? Owner(IdentifierNameSyntax reference, SyntaxNode? declaration, SyntaxNode root)
    {
        SyntaxNode current = reference;
        while (current != root && current.Parent is SyntaxNode parent)
        {
            if (current is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } } argument
                && Spawn(invocation) is SpawnCall spawn)
            {
                if (spawn.Body is not null && argument.Expression == spawn.Body && spawn.Closure is AnonymousFunctionExpressionSyntax closure)
                {
                    if (declaration is not null && closure.Span.Contains(declaration.Span))
                    {
                        return null;
                    }

                    return (spawn, MoveKind.Capture);
                }

                if (spawn.State is not null && argument.Expression == spawn.State && IsHandedOver(reference, spawn.State))
                {
                    return (spawn, MoveKind.Handover);
                }
            }

            current = parent;
        }

        return null;
    }

    /// <summary>The reference is the state itself or an item of a tuple state: the task owns the value.</summary>
    private static bool IsHandedOver(IdentifierNameSyntax reference, ExpressionSyntax state)
    {
        ExpressionSyntax? unwrapped = SpawnCall.Unparenthesize(state);
        if (unwrapped == reference)
        {
            return true;
        }

        return unwrapped is TupleExpressionSyntax tuple
            && tuple.Arguments.Any(a => SpawnCall.Unparenthesize(a.Expression) == reference);
    }

    /// <summary>
    /// The loop statement around <paramref name="node"/> (inside <paramref name="root"/>) whose iterations share the variable
    /// declared at <paramref name="declaration"/>: one that runs <paramref name="node"/> again without declaring the variable
    /// anew (the variable is declared outside it, or in a for loop's initializer). Null when there is none.
    /// </summary>
    public static StatementSyntax? SharingLoop(SyntaxNode node, SyntaxNode? declaration, SyntaxNode root, SyntaxNode? containing = null)
    {
        for (SyntaxNode? current = node.Parent; current is not null && current != root; current = current.Parent)
        {
            if (current is not (ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax))
            {
                continue;
            }

            if (declaration is not null && current.Span.Contains(declaration.Span) && !IsForInitializer(current, declaration))
            {
                // Declared inside this loop: each iteration has its own, and so do the loops around it.
                return null;
            }

            if (containing is null || current.Span.Contains(containing.Span))
            {
                return (StatementSyntax)current;
            }
        }

        return null;
    }

    private static bool IsForInitializer(SyntaxNode loop, SyntaxNode declaration) =>
        loop is ForStatementSyntax forLoop
        && ((forLoop.Declaration?.Span.Contains(declaration.Span) ?? false)
            || forLoop.Initializers.Any(i => i.Span.Contains(declaration.Span)));

    /// <summary>True when <paramref name="reference"/> writes its variable: an assignment, ++/--, ref/out, a deconstruction, a struct member set.</summary>
    public static bool IsWrite(IdentifierNameSyntax reference, ISymbol variable)
    {
        ExpressionSyntax target = reference;

        // A member of a struct variable written through it writes the variable.
        bool isValueType = variable switch
        {
            ILocalSymbol local => local.Type.IsValueType,
            IParameterSymbol parameter => parameter.Type.IsValueType,
            _ => false,
        };
        while (isValueType && target.Parent is MemberAccessExpressionSyntax ma && ma.Expression == target)
        {
            target = ma;
        }

        switch (target.Parent)
        {
            case AssignmentExpressionSyntax assignment when assignment.Left == target:
                return true;
            case PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression):
                return true;
            case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostIncrementExpression) || postfix.IsKind(SyntaxKind.PostDecrementExpression):
                return true;
            case ArgumentSyntax argument when argument.RefKindKeyword.IsKind(SyntaxKind.RefKeyword) || argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword):
                return argument.Parent is not TupleExpressionSyntax;
            case RefExpressionSyntax:
                return true;
            case ArgumentSyntax { Parent: TupleExpressionSyntax }:
                return IsDeconstructionTarget(target);
        }

        return false;
    }

    private static bool IsDeconstructionTarget(ExpressionSyntax target)
    {
        SyntaxNode current = target;
        while (current.Parent is ArgumentSyntax { Parent: TupleExpressionSyntax tuple })
        {
            current = tuple;
        }

        return current.Parent is AssignmentExpressionSyntax assignment && assignment.Left == current;
    }

    /// <summary>The one-based line of <paramref name="node"/>, for messages.</summary>
    public static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
}
