using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flow.Analyzers;

/// <summary>
/// FLOW005: <c>Arc.New</c> of a value whose type is mutable and not made to be shared: an array, a mutable BCL
/// collection (or a mutable collection interface), a StringBuilder, or a class with settable public state.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ArcAnalyzer : DiagnosticAnalyzer
{
    private const string Sequence = "ImmutableArray<T> or ReadOnlyMemory<T>";
    private const string Map = "ImmutableDictionary<TKey, TValue> or FrozenDictionary<TKey, TValue>";
    private const string Set = "ImmutableHashSet<T> or FrozenSet<T>";

    /// <summary>Mutable BCL types by metadata name, with what to share instead.</summary>
    private static readonly ImmutableDictionary<string, string> s_mutableTypes = new (string Name, string Instead)[]
    {
        ("System.Collections.Generic.List`1", Sequence),
        ("System.Collections.Generic.Dictionary`2", Map),
        ("System.Collections.Generic.HashSet`1", Set),
        ("System.Collections.Generic.Queue`1", "ImmutableQueue<T>"),
        ("System.Collections.Generic.Stack`1", "ImmutableStack<T>"),
        ("System.Collections.Generic.LinkedList`1", "ImmutableList<T>"),
        ("System.Collections.Generic.SortedDictionary`2", "ImmutableSortedDictionary<TKey, TValue>"),
        ("System.Collections.Generic.SortedList`2", "ImmutableSortedDictionary<TKey, TValue>"),
        ("System.Collections.Generic.SortedSet`1", "ImmutableSortedSet<T>"),
        ("System.Collections.Generic.PriorityQueue`2", "an immutable snapshot, or a chan to the task that owns the queue"),
        ("System.Collections.ObjectModel.Collection`1", Sequence),
        ("System.Collections.ObjectModel.ObservableCollection`1", Sequence),
        ("System.Collections.ArrayList", Sequence),
        ("System.Collections.Hashtable", Map),
        ("System.Collections.Generic.IList`1", "IReadOnlyList<T> over an immutable collection"),
        ("System.Collections.Generic.ICollection`1", "IReadOnlyCollection<T> over an immutable collection"),
        ("System.Collections.Generic.IDictionary`2", "IReadOnlyDictionary<TKey, TValue> over an immutable dictionary"),
        ("System.Collections.Generic.ISet`1", "IReadOnlySet<T> over an immutable set"),
        ("System.Collections.IList", Sequence),
        ("System.Collections.IDictionary", Map),
        ("System.Text.StringBuilder", "the string it built"),
        ("System.Memory`1", "ReadOnlyMemory<T>"),
    }.ToImmutableDictionary(t => t.Name, t => t.Instead);

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.MutableArcValue);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (FlowTypes.Create(start.Compilation) is FlowTypes { Arc: INamedTypeSymbol arc })
            {
                start.RegisterSyntaxNodeAction(c => Analyze(c, arc), SyntaxKind.InvocationExpression);
            }
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, INamedTypeSymbol arc)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (SpawnCall.InvokedName(invocation) != "New"
            || invocation.ArgumentList.Arguments.Count != 1
            || context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol { TypeArguments.Length: 1 } method
            || !FlowTypes.Is(method.ContainingType, arc))
        {
            return;
        }

        ITypeSymbol valueType = method.TypeArguments[0];
        if (Instead(valueType) is string instead)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.MutableArcValue,
                invocation.ArgumentList.Arguments[0].GetLocation(),
                valueType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                instead));
        }
    }

    /// <summary>What to share instead of a value of <paramref name="type"/>, or null when it is fine to share.</summary>
    internal static string? Instead(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol:
                return Sequence;

            case INamedTypeSymbol named:
                if (s_mutableTypes.TryGetValue(MetadataName(named.OriginalDefinition), out string? known))
                {
                    return known;
                }

                return named.TypeKind == TypeKind.Class && named.SpecialType == SpecialType.None && HasSettablePublicState(named)
                    ? "a record or a class with init-only properties"
                    : null;

            default:
                return null;
        }
    }

    /// <summary>A public instance field that is not readonly, or a public instance property with a public setter (not init), here or in a base class.</summary>
    private static bool HasSettablePublicState(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            // Types built to be shared between threads are not plain mutable state.
            if (MetadataName(current).StartsWith("System.Collections.Concurrent.", System.StringComparison.Ordinal)
                || current.ContainingNamespace?.ToDisplayString() == "Flow")
            {
                return false;
            }

            foreach (ISymbol member in current.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                switch (member)
                {
                    case IFieldSymbol { IsReadOnly: false, IsConst: false }:
                        return true;
                    case IPropertySymbol { SetMethod: { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false } }:
                        return true;
                }
            }
        }

        return false;
    }

    private static string MetadataName(INamedTypeSymbol type)
    {
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return type.ContainingType is INamedTypeSymbol outer ? MetadataName(outer) + "+" + type.MetadataName : ns + type.MetadataName;
    }
}
