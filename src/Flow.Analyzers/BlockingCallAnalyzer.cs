using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flow.Analyzers;

/// <summary>
/// FLOW003: a blocking Flow call (Port.Recv, Send on a bounded chan, Future.Get, JoinHandle.Join, Select.Recv,
/// SelectBuilder.Run, Port.Iter, Tasks.Try) inside an async method, async local function or async lambda.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class BlockingCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The property that tells the code fix how to rewrite the call.</summary>
    internal const string FixKind = "FixKind";

    /// <summary>Rewrite <c>x.M(args)</c> as <c>await x.MAsync(args)</c>; the property <see cref="AsyncName"/> names MAsync.</summary>
    internal const string RenameFix = "Rename";

    /// <summary>Rewrite <c>Select.Recv(a, b)</c> as <c>await Select.RecvAsync(new[] { a, b })</c>.</summary>
    internal const string SelectRecvFix = "SelectRecv";

    /// <summary>Rewrite <c>foreach (x in port.Iter())</c> as <c>await foreach (x in port)</c>.</summary>
    internal const string IterFix = "Iter";

    /// <summary>Rewrite <c>Try(body)</c> as <c>await TryAsync(body returning a task)</c>.</summary>
    internal const string TryFix = "Try";

    /// <summary>The property naming the async method of a <see cref="RenameFix"/>.</summary>
    internal const string AsyncName = "AsyncName";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BlockingCallInAsync);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (FlowTypes.Create(start.Compilation) is FlowTypes flow)
            {
                start.RegisterSyntaxNodeAction(c => Analyze(c, flow), SyntaxKind.InvocationExpression);
            }
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, FlowTypes flow)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        string? name = SpawnCall.InvokedName(invocation);
        if (name is not ("Recv" or "Send" or "Get" or "Join" or "Run" or "Iter" or "Try"))
        {
            return;
        }

        SemanticModel model = context.SemanticModel;
        if (model.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol method
            || Classify(method, invocation, model, flow, context.CancellationToken) is not (string fixKind, string instead))
        {
            return;
        }

        if (model.GetEnclosingSymbol(invocation.SpanStart, context.CancellationToken) is not IMethodSymbol { IsAsync: true }
            || SpawnCall.InvokedNameNode(invocation) is not SimpleNameSyntax nameNode)
        {
            return;
        }

        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty.Add(FixKind, fixKind);
        if (fixKind == RenameFix)
        {
            properties = properties.Add(AsyncName, name + "Async");
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.BlockingCallInAsync,
            nameNode.GetLocation(),
            properties,
            method.ContainingType.Name + "." + name,
            instead));
    }

    /// <summary>How a blocking call is fixed and what to write instead, or null when the call does not block.</summary>
    private static (string FixKind, string Instead)? Classify(
        IMethodSymbol method,
        InvocationExpressionSyntax invocation,
        SemanticModel model,
        FlowTypes flow,
        CancellationToken cancellationToken)
    {
        INamedTypeSymbol type = method.ContainingType;
        switch (method.Name)
        {
            case "Recv" when FlowTypes.Is(type, flow.PortOfT) || FlowTypes.Is(type, flow.DuplexStreamOfT):
                return (RenameFix, "await RecvAsync()");
            case "Recv" when FlowTypes.Is(type, flow.Select):
                return (SelectRecvFix, "await Select.RecvAsync(...)");
            case "Iter" when FlowTypes.Is(type, flow.PortOfT):
                return (IterFix, "await foreach over the port");
            case "Get" when FlowTypes.Is(type, flow.FutureOfT):
                return (RenameFix, "await GetAsync()");
            case "Join" when FlowTypes.Is(type, flow.JoinHandle) || FlowTypes.Is(type, flow.JoinHandleOfT):
                return (RenameFix, "await JoinAsync()");
            case "Run" when FlowTypes.Is(type, flow.SelectBuilder):
                return (RenameFix, "await RunAsync()");
            case "Try" when FlowTypes.Is(type, flow.Tasks):
                return (TryFix, "await TryAsync(...)");
            case "Send" when (FlowTypes.Is(type, flow.ChanOfT) || FlowTypes.Is(type, flow.SharedChanOfT) || FlowTypes.Is(type, flow.DuplexStreamOfT))
                && invocation.Expression is MemberAccessExpressionSyntax access
                && model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is ILocalSymbol local
                && new BoundedChans(model, flow, cancellationToken).IsBounded(local, depth: 0):
                return (RenameFix, "await SendAsync(...)");
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether a local sending end is bounded, judged only from what this method shows: it was created by
    /// Chan.New(capacity), SharedChan.New(capacity) or DuplexStream.New(capacity), or cloned from such an end.
    /// An end that comes from elsewhere may be unbounded, and a Send on an unbounded chan never blocks.
    /// </summary>
    private readonly struct BoundedChans
    {
        private readonly SemanticModel _model;
        private readonly FlowTypes _flow;
        private readonly CancellationToken _cancellationToken;

        public BoundedChans(SemanticModel model, FlowTypes flow, CancellationToken cancellationToken)
        {
            _model = model;
            _flow = flow;
            _cancellationToken = cancellationToken;
        }

        public bool IsBounded(ILocalSymbol local, int depth)
        {
            if (depth > 4 || VariableFlow.Declaration(local, _cancellationToken) is not SyntaxNode declaration
                || declaration.SyntaxTree != _model.SyntaxTree)
            {
                return false;
            }

            switch (declaration)
            {
                case VariableDeclaratorSyntax { Initializer.Value: ExpressionSyntax value }:
                    return IsBoundedValue(value, depth);

                case SingleVariableDesignationSyntax designation:
                    // var (port, chan) = Chan.New<int>(4); or (Port<int> p, Chan<int> c) = ...
                    SyntaxNode current = designation;
                    while (current.Parent is ParenthesizedVariableDesignationSyntax or DeclarationExpressionSyntax or ArgumentSyntax or TupleExpressionSyntax)
                    {
                        current = current.Parent;
                    }

                    return current.Parent is AssignmentExpressionSyntax assignment && assignment.Left == current
                        && IsBoundedCreation(assignment.Right);

                default:
                    return false;
            }
        }

        private bool IsBoundedValue(ExpressionSyntax value, int depth)
        {
            switch (SpawnCall.Unparenthesize(value))
            {
                // chan.Clone() of a bounded chan
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Clone" } clone }
                    when _model.GetSymbolInfo(clone.Expression, _cancellationToken).Symbol is ILocalSymbol source:
                    return IsBounded(source, depth + 1);

                // Chan.New<int>(4).Chan
                case MemberAccessExpressionSyntax access:
                    return IsBoundedCreation(access.Expression);

                default:
                    return false;
            }
        }

        private bool IsBoundedCreation(ExpressionSyntax expression)
        {
            if (SpawnCall.Unparenthesize(expression) is not InvocationExpressionSyntax creation
                || SpawnCall.InvokedName(creation) != "New"
                || _model.GetSymbolInfo(creation, _cancellationToken).Symbol is not IMethodSymbol method)
            {
                return false;
            }

            if (FlowTypes.Is(method.ContainingType, _flow.Chan) || FlowTypes.Is(method.ContainingType, _flow.SharedChan))
            {
                return method.Parameters.Length == 1;
            }

            if (FlowTypes.Is(method.ContainingType, _flow.DuplexStream))
            {
                // DuplexStream.New<A, B>(capacity: null) is unbounded, as is leaving the capacity out.
                ArgumentSyntax? capacity = creation.ArgumentList.Arguments.FirstOrDefault();
                return capacity is not null
                    && !capacity.Expression.IsKind(SyntaxKind.NullLiteralExpression)
                    && !capacity.Expression.IsKind(SyntaxKind.DefaultLiteralExpression);
            }

            return false;
        }
    }
}
