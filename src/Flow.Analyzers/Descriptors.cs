using Microsoft.CodeAnalysis;

namespace Flow.Analyzers;

/// <summary>The ids of Flow's diagnostics; each has a help section in docs/analyzers.md.</summary>
internal static class DiagnosticIds
{
    /// <summary>A non-shared chan (or a duplex stream end) owned by two tasks, or used after a task took it.</summary>
    public const string ChanOwnedTwice = "FLOW001";

    /// <summary>A spawned closure captures a local that is written after the capture.</summary>
    public const string SharedMutableLocal = "FLOW002";

    /// <summary>A blocking Flow call inside async code.</summary>
    public const string BlockingCallInAsync = "FLOW003";

    /// <summary>Spawn(state, body) whose body is not a static lambda.</summary>
    public const string NonStaticStateBody = "FLOW004";

    /// <summary>Arc.New of a mutable value.</summary>
    public const string MutableArcValue = "FLOW005";
}

/// <summary>The descriptors of Flow's diagnostics.</summary>
internal static class Descriptors
{
    private const string Ownership = "Ownership";
    private const string Usage = "Usage";

    /// <summary>Where each rule is documented (the repository's docs/analyzers.md, one section a rule).</summary>
    private static string Help(string id) => "docs/analyzers.md#" + id.ToLowerInvariant();

    public static readonly DiagnosticDescriptor ChanOwnedTwice = new(
        DiagnosticIds.ChanOwnedTwice,
        title: "A chan has one owner",
        messageFormat: "'{0}' {1}: {2}",
        category: Ownership,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A Chan<T> or a DuplexStream end belongs to one task at a time: once a spawned closure captured it (or it was handed over as the state of Spawn), no other task and not the spawning code may use it. Use a SharedChan and hand each task its own Clone().",
        helpLinkUri: Help(DiagnosticIds.ChanOwnedTwice));

    public static readonly DiagnosticDescriptor SharedMutableLocal = new(
        DiagnosticIds.SharedMutableLocal,
        title: "A spawned task shares a mutable local",
        messageFormat: "'{0}' is captured by a spawned task and written {1}, so the tasks share mutable state: hand the value over with Spawn(state, static s => ...), send it through a chan, or share it through a MutexArc",
        category: Ownership,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A closure captures variables, not values: a local written after a spawned closure captured it (by the closure or by the code around it, including a for loop's variable) is shared between tasks without any synchronisation.",
        helpLinkUri: Help(DiagnosticIds.SharedMutableLocal));

    public static readonly DiagnosticDescriptor BlockingCallInAsync = new(
        DiagnosticIds.BlockingCallInAsync,
        title: "A blocking Flow call in async code",
        messageFormat: "'{0}' blocks a thread inside async code: use '{1}' instead",
        category: Usage,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Recv, Send on a bounded chan, Get, Join, Select.Recv, SelectBuilder.Run, Iter and Try block the calling thread until something else happens; inside an async method or lambda that ties up a pool thread and can deadlock. Each has an awaitable form.",
        helpLinkUri: Help(DiagnosticIds.BlockingCallInAsync));

    public static readonly DiagnosticDescriptor NonStaticStateBody = new(
        DiagnosticIds.NonStaticStateBody,
        title: "The body of Spawn(state, body) should be static",
        messageFormat: "The body of Spawn(state, body) is not static, so the task may own more than it was handed{0}: make the lambda 'static' and pass what it needs in the state",
        category: Ownership,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Spawn(state, body) hands the state to the task and ends the chans in it when the task ends; a non-static body can also capture other variables, which the task then shares with the spawning code.",
        helpLinkUri: Help(DiagnosticIds.NonStaticStateBody));

    public static readonly DiagnosticDescriptor MutableArcValue = new(
        DiagnosticIds.MutableArcValue,
        title: "Arc shares a mutable value",
        messageFormat: "Arc.New shares a mutable '{0}' between tasks without a lock: share an immutable value ({1}) or use MutexArc/RwArc",
        category: Ownership,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An Arc hands the same value to every task that holds a clone and takes no lock; it is for immutable data. A mutable value (an array, a List<T>, a Dictionary, a class with settable public state) lets one task change what another reads.",
        helpLinkUri: Help(DiagnosticIds.MutableArcValue));
}
