using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flow.Analyzers;

/// <summary>What a closure captures from the code around it.</summary>
internal sealed class Captures
{
    private Captures()
    {
    }

    /// <summary>The captured locals and parameters, each with its first reference inside the closure, in source order.</summary>
    public List<(ISymbol Variable, IdentifierNameSyntax FirstReference)> Variables { get; } = new();

    /// <summary>True when the closure uses <c>this</c> or <c>base</c>, explicitly or through an instance member.</summary>
    public bool This { get; private set; }

    /// <summary>True when the closure calls a non-static local function declared outside it (which may capture).</summary>
    public bool LocalFunction { get; private set; }

    /// <summary>True when a <c>static</c> modifier would compile: nothing is captured.</summary>
    public bool Nothing => Variables.Count == 0 && !This && !LocalFunction;

    /// <summary>The names of what is captured, for a message: 'x', 'y', 'this'.</summary>
    public IEnumerable<string> Names()
    {
        foreach ((ISymbol variable, _) in Variables)
        {
            yield return variable.Name;
        }

        if (This)
        {
            yield return "this";
        }
    }

    public static Captures Of(AnonymousFunctionExpressionSyntax closure, SemanticModel model, CancellationToken cancellationToken)
    {
        var captures = new Captures();
        HashSet<ISymbol>? seen = null;
        foreach (SyntaxNode node in closure.DescendantNodes())
        {
            switch (node)
            {
                case ThisExpressionSyntax or BaseExpressionSyntax:
                    captures.This = true;
                    break;

                case IdentifierNameSyntax id when !IsNameOnly(id):
                    ISymbol? symbol = model.GetSymbolInfo(id, cancellationToken).Symbol;
                    switch (symbol)
                    {
                        case ILocalSymbol { IsConst: false } or IParameterSymbol when !IsDeclaredInside(symbol, closure):
                            seen ??= new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                            if (seen.Add(symbol))
                            {
                                captures.Variables.Add((symbol, id));
                            }

                            break;

                        case IMethodSymbol { MethodKind: MethodKind.LocalFunction, IsStatic: false } when !IsDeclaredInside(symbol, closure):
                            captures.LocalFunction = true;
                            break;

                        case IFieldSymbol or IPropertySymbol or IMethodSymbol or IEventSymbol
                            when !symbol.IsStatic && symbol.ContainingType is not null && IsImplicitThis(id):
                            captures.This = true;
                            break;
                    }

                    break;
            }
        }

        return captures;
    }

    /// <summary>True when <paramref name="symbol"/> is declared inside <paramref name="node"/> (a closure's own parameters and locals).</summary>
    public static bool IsDeclaredInside(ISymbol symbol, SyntaxNode node)
    {
        foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == node.SyntaxTree && node.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A name that does not read the symbol it binds to: a named argument, nameof, an initializer's member, a property pattern.</summary>
    private static bool IsNameOnly(IdentifierNameSyntax id)
    {
        switch (id.Parent)
        {
            case NameColonSyntax or NameEqualsSyntax:
                return true;
            case AssignmentExpressionSyntax assignment when assignment.Left == id
                && assignment.Parent is InitializerExpressionSyntax initializer
                && (initializer.IsKind(SyntaxKind.ObjectInitializerExpression) || initializer.IsKind(SyntaxKind.WithInitializerExpression)):
                return true;
        }

        for (SyntaxNode? node = id.Parent; node is not null; node = node.Parent)
        {
            if (node is ExpressionColonSyntax)
            {
                return true;
            }

            if (node is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } })
            {
                return true;
            }

            if (node is StatementSyntax or AnonymousFunctionExpressionSyntax)
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsImplicitThis(IdentifierNameSyntax id) => id.Parent switch
    {
        MemberAccessExpressionSyntax ma => ma.Expression == id,
        MemberBindingExpressionSyntax => false,
        QualifiedNameSyntax q => q.Left == id,
        _ => true,
    };
}
