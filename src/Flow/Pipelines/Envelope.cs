namespace Flow;

/// <summary>
/// An item between two Dataflow blocks of a pipeline, or a hole where a contained failure (or a
/// <c>Where</c>) dropped one. Holes keep an ordered stage's slots and are filtered out by the link
/// to the next stage, so no stage function ever sees one.
/// </summary>
internal readonly record struct Envelope<T>(T Value, bool IsHole)
{
    public static Envelope<T> Hole => new(default!, true);
}
