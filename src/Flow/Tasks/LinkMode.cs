namespace Flow;

/// <summary>How a spawned task's failure relates to the task that spawned it (the older Rust guide's failure modes).</summary>
public enum LinkMode
{
    /// <summary>The failure stays in the child and its handle; the parent goes on. The default.</summary>
    Isolated,

    /// <summary>
    /// Both ways and transitively: the child's failure kills the parent (and so the parent's other
    /// linked and supervised children), and the parent's failure kills the child.
    /// </summary>
    Linked,

    /// <summary>The parent's failure kills the child and its descendants; the child's failure does not reach the parent.</summary>
    Supervised,
}
