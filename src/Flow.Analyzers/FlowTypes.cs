using System;
using Microsoft.CodeAnalysis;

namespace Flow.Analyzers;

/// <summary>How a spawn-like call runs its body.</summary>
internal enum SpawnKind
{
    /// <summary>Tasks.Spawn*, Future.Spawn, TaskScope.Spawn: the body runs concurrently with the caller.</summary>
    Spawn,

    /// <summary>Tasks.Try*: the body runs as a task of its own and the caller waits for it.</summary>
    Try,
}

/// <summary>Flow's types, resolved once per compilation by metadata name (never by simple name).</summary>
internal sealed class FlowTypes
{
    private FlowTypes(Compilation compilation, INamedTypeSymbol tasks)
    {
        Tasks = tasks;
        Future = compilation.GetTypeByMetadataName("Flow.Future");
        FutureOfT = compilation.GetTypeByMetadataName("Flow.Future`1");
        TaskScope = compilation.GetTypeByMetadataName("Flow.TaskScope");
        Chan = compilation.GetTypeByMetadataName("Flow.Chan");
        ChanOfT = compilation.GetTypeByMetadataName("Flow.Chan`1");
        SharedChan = compilation.GetTypeByMetadataName("Flow.SharedChan");
        SharedChanOfT = compilation.GetTypeByMetadataName("Flow.SharedChan`1");
        PortOfT = compilation.GetTypeByMetadataName("Flow.Port`1");
        DuplexStream = compilation.GetTypeByMetadataName("Flow.DuplexStream");
        DuplexStreamOfT = compilation.GetTypeByMetadataName("Flow.DuplexStream`2");
        JoinHandle = compilation.GetTypeByMetadataName("Flow.JoinHandle");
        JoinHandleOfT = compilation.GetTypeByMetadataName("Flow.JoinHandle`1");
        Select = compilation.GetTypeByMetadataName("Flow.Select");
        SelectBuilder = compilation.GetTypeByMetadataName("Flow.SelectBuilder");
        Arc = compilation.GetTypeByMetadataName("Flow.Arc");
    }

    public INamedTypeSymbol Tasks { get; }

    public INamedTypeSymbol? Future { get; }

    public INamedTypeSymbol? FutureOfT { get; }

    public INamedTypeSymbol? TaskScope { get; }

    public INamedTypeSymbol? Chan { get; }

    public INamedTypeSymbol? ChanOfT { get; }

    public INamedTypeSymbol? SharedChan { get; }

    public INamedTypeSymbol? SharedChanOfT { get; }

    public INamedTypeSymbol? PortOfT { get; }

    public INamedTypeSymbol? DuplexStream { get; }

    public INamedTypeSymbol? DuplexStreamOfT { get; }

    public INamedTypeSymbol? JoinHandle { get; }

    public INamedTypeSymbol? JoinHandleOfT { get; }

    public INamedTypeSymbol? Select { get; }

    public INamedTypeSymbol? SelectBuilder { get; }

    public INamedTypeSymbol? Arc { get; }

    /// <summary>Flow's types, or null when the compilation does not reference Flow (then no rule has anything to do).</summary>
    public static FlowTypes? Create(Compilation compilation)
    {
        INamedTypeSymbol? tasks = compilation.GetTypeByMetadataName("Flow.Tasks");
        return tasks is null ? null : new FlowTypes(compilation, tasks);
    }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? definition) =>
        type is not null && definition is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, definition);

    /// <summary>True for the method of a spawn-like entry point: Tasks.Spawn*, Tasks.Try*, Future.Spawn, TaskScope.Spawn.</summary>
    public bool IsSpawnLike(IMethodSymbol method, out SpawnKind kind)
    {
        kind = SpawnKind.Spawn;
        INamedTypeSymbol? type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        if (Is(type, Tasks))
        {
            if (method.Name.StartsWith("Spawn", StringComparison.Ordinal))
            {
                return true;
            }

            if (method.Name.StartsWith("Try", StringComparison.Ordinal))
            {
                kind = SpawnKind.Try;
                return true;
            }

            return false;
        }

        return method.Name == "Spawn" && (Is(type, Future) || Is(type, TaskScope));
    }

    /// <summary>A sending end that has exactly one owner: Chan&lt;T&gt; or an end of a DuplexStream.</summary>
    public bool IsExclusiveEnd(ITypeSymbol? type) => Is(type, ChanOfT) || Is(type, DuplexStreamOfT);
}
