using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Flow.Analyzers;

/// <summary>A call of a spawn-like entry point, with its body and (for Spawn(state, body)) its state.</summary>
internal sealed class SpawnCall
{
    private SpawnCall(InvocationExpressionSyntax invocation, IMethodSymbol method, SpawnKind kind, ExpressionSyntax? body, ExpressionSyntax? state)
    {
        Invocation = invocation;
        Method = method;
        Kind = kind;
        Body = body;
        State = state;
    }

    public InvocationExpressionSyntax Invocation { get; }

    public IMethodSymbol Method { get; }

    public SpawnKind Kind { get; }

    /// <summary>The body argument as written (a lambda, a method group, a delegate...).</summary>
    public ExpressionSyntax? Body { get; }

    /// <summary>The body when it is a lambda or an anonymous method: the closure whose captures matter.</summary>
    public AnonymousFunctionExpressionSyntax? Closure => Unparenthesize(Body) as AnonymousFunctionExpressionSyntax;

    /// <summary>The state argument of Spawn(state, body), or null for the other forms.</summary>
    public ExpressionSyntax? State { get; }

    /// <summary>The name of the invoked method as written (Spawn, Try...), for a cheap filter before binding.</summary>
    public static string? InvokedName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        IdentifierNameSyntax id => id.Identifier.ValueText,
        GenericNameSyntax g => g.Identifier.ValueText,
        MemberAccessExpressionSyntax ma => ma.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax mb => mb.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The simple name node of the invoked method (where diagnostics about the call are reported).</summary>
    public static SimpleNameSyntax? InvokedNameNode(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        SimpleNameSyntax name => name,
        MemberAccessExpressionSyntax ma => ma.Name,
        MemberBindingExpressionSyntax mb => mb.Name,
        _ => null,
    };

    public static bool MayBeSpawn(string? name) =>
        name is not null && (name.StartsWith("Spawn", System.StringComparison.Ordinal) || name.StartsWith("Try", System.StringComparison.Ordinal));

    /// <summary>The spawn-like call <paramref name="invocation"/> is, or null.</summary>
    public static SpawnCall? TryCreate(InvocationExpressionSyntax invocation, SemanticModel model, FlowTypes flow, CancellationToken cancellationToken)
    {
        if (!MayBeSpawn(InvokedName(invocation)))
        {
            return null;
        }

        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method || !flow.IsSpawnLike(method, out SpawnKind kind))
        {
            return null;
        }

        ExpressionSyntax? body = null;
        ExpressionSyntax? state = null;
        if (model.GetOperation(invocation, cancellationToken) is IInvocationOperation operation)
        {
            foreach (IArgumentOperation argument in operation.Arguments)
            {
                if (argument.Syntax is not ArgumentSyntax syntax || argument.Parameter is null)
                {
                    continue;
                }

                if (argument.Parameter.Name == "body")
                {
                    body = syntax.Expression;
                }
                else if (argument.Parameter.Name == "state")
                {
                    state = syntax.Expression;
                }
            }
        }

        return new SpawnCall(invocation, method, kind, body, state);
    }

    public static ExpressionSyntax? Unparenthesize(ExpressionSyntax? expression)
    {
        while (expression is ParenthesizedExpressionSyntax p)
        {
            expression = p.Expression;
        }

        return expression;
    }

    /// <summary>The span of a lambda's head (`s =>`, `static (a, b) =>`, `delegate (int s)`): where its diagnostics go.</summary>
    public static Microsoft.CodeAnalysis.Text.TextSpan HeadSpan(AnonymousFunctionExpressionSyntax closure) => closure switch
    {
        LambdaExpressionSyntax lambda => Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lambda.SpanStart, lambda.ArrowToken.Span.End),
        AnonymousMethodExpressionSyntax method => Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(
            method.SpanStart,
            method.ParameterList?.Span.End ?? method.DelegateKeyword.Span.End),
        _ => closure.Span,
    };

    public static bool IsStatic(AnonymousFunctionExpressionSyntax closure) => closure.Modifiers.Any(SyntaxKind.StaticKeyword);
}
