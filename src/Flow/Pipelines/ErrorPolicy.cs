namespace Flow;

/// <summary>
/// What a stage does with an item its function throws on — the guide's "contain the failure at a
/// certain boundary". An <see cref="OperationCanceledException"/> thrown by the function is such a
/// failure too, unless the pipeline's own token was cancelled.
/// </summary>
public abstract class ErrorPolicy
{
    private protected ErrorPolicy()
    {
    }

    /// <summary>Stops the whole pipeline: <see cref="Pipeline{TIn}.Completion"/> faults with the original exception. The default.</summary>
    public static ErrorPolicy FailPipeline { get; } = new FailPolicy();

    /// <summary>Drops the item and goes on; the drop is counted in the stage's failures.</summary>
    public static ErrorPolicy Skip { get; } = new SkipPolicy();

    /// <summary>Sends the item, the stage's name and the exception to <paramref name="deadLetters"/>, and goes on.</summary>
    /// <param name="deadLetters">Receives the dead letters; the pipeline sends on it from one stage worker at a time.</param>
    /// <returns>The policy.</returns>
    public static ErrorPolicy RouteTo(Chan<DeadLetter> deadLetters) => new RoutePolicy(deadLetters ?? throw new ArgumentNullException(nameof(deadLetters)));

    /// <summary>Sends the item, the stage's name and the exception to <paramref name="deadLetters"/>, and goes on.</summary>
    /// <param name="deadLetters">Receives the dead letters.</param>
    /// <returns>The policy.</returns>
    public static ErrorPolicy RouteTo(SharedChan<DeadLetter> deadLetters) => new RoutePolicy(deadLetters ?? throw new ArgumentNullException(nameof(deadLetters)));

    /// <summary>The name shown by <see cref="Pipeline{TIn}.Describe"/>.</summary>
    internal abstract string Describe { get; }

    /// <summary>Handles a failed item: true to drop it and go on, false to fail the pipeline.</summary>
    internal abstract bool Contain(object? item, string stage, Exception exception);

    private sealed class FailPolicy : ErrorPolicy
    {
        internal override string Describe => "fail pipeline";

        internal override bool Contain(object? item, string stage, Exception exception) => false;
    }

    private sealed class SkipPolicy : ErrorPolicy
    {
        internal override string Describe => "skip";

        internal override bool Contain(object? item, string stage, Exception exception) => true;
    }

    private sealed class RoutePolicy(object deadLetters) : ErrorPolicy
    {
        private readonly Lock _gate = new();

        internal override string Describe => "route to dead letters";

        internal override bool Contain(object? item, string stage, Exception exception)
        {
            var letter = new DeadLetter(item, stage, exception);

            // A parallel stage has several workers; a chan has one sender at a time.
            lock (_gate)
            {
                switch (deadLetters)
                {
                    case Chan<DeadLetter> chan:
                        chan.Send(letter);
                        break;
                    case SharedChan<DeadLetter> shared:
                        shared.Send(letter);
                        break;
                }
            }

            return true;
        }
    }
}
