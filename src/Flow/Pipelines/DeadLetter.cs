namespace Flow;

/// <summary>An item a stage failed on, routed aside by <see cref="ErrorPolicy.RouteTo(Chan{DeadLetter})"/> while the pipeline goes on.</summary>
/// <param name="Item">The item the stage was given.</param>
/// <param name="Stage">The stage's name.</param>
/// <param name="Exception">What the stage threw.</param>
public sealed record DeadLetter(object? Item, string Stage, Exception Exception);
