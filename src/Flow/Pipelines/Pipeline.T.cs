using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// A running pipeline: send items in, <see cref="Complete"/> it, and await <see cref="Completion"/>,
/// which ends when every stage drained, faults with the first failure itself, or is cancelled by
/// the pipeline's token.
/// </summary>
/// <typeparam name="TIn">What the pipeline takes in.</typeparam>
/// <remarks>
/// Sending waits while the first stage is full (backpressure). A pipeline fed from a port
/// (<c>port.Pipe()</c>, <see cref="Pipeline.Merge{T}"/>) takes no sends: it completes when its
/// ports close. All members are safe to call from any thread.
/// </remarks>
public sealed class Pipeline<TIn>
{
    private readonly PipelineCore _core;
    private readonly ITargetBlock<Envelope<TIn>>? _input;

    internal Pipeline(PipelineCore core, ITargetBlock<Envelope<TIn>>? input)
    {
        _core = core;
        _input = input;
    }

    /// <summary>Completes when every stage drained; faults with the first failure; cancelled by the pipeline's token.</summary>
    public Task Completion => _core.Completion;

    /// <summary>The pipeline's name from <see cref="PipelineOptions.Name"/>, or null.</summary>
    public string? Name => _core.Options.Name;

    /// <summary>Sends <paramref name="item"/> in, blocking the calling thread while the first stage is full.</summary>
    /// <param name="item">The item.</param>
    /// <exception cref="ChannelClosedException">The pipeline was completed, or failed (the failure is the inner exception).</exception>
    public void Send(TIn item)
    {
        ITargetBlock<Envelope<TIn>> input = Input;
        var envelope = new Envelope<TIn>(item, false);
        if (!input.Post(envelope) && !SendWaiting(input, envelope))
        {
            throw Refused();
        }

        _core.Input?.CountIn();
    }

    /// <summary>Sends <paramref name="item"/> in, waiting without blocking a thread while the first stage is full.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Stops the wait. If cancelled, the item was not taken.</param>
    /// <returns>Completes when the pipeline took the item.</returns>
    /// <exception cref="ChannelClosedException">The pipeline was completed, or failed.</exception>
    public async ValueTask SendAsync(TIn item, CancellationToken cancellationToken = default)
    {
        if (!await Input.SendAsync(new Envelope<TIn>(item, false), cancellationToken).ConfigureAwait(false))
        {
            throw Refused();
        }

        _core.Input?.CountIn();
    }

    /// <summary>Sends <paramref name="item"/> in if the first stage has room now.</summary>
    /// <param name="item">The item.</param>
    /// <returns>True when the pipeline took it.</returns>
    public bool TrySend(TIn item)
    {
        if (!Input.Post(new Envelope<TIn>(item, false)))
        {
            return false;
        }

        _core.Input?.CountIn();
        return true;
    }

    /// <summary>Ends the input: the stages drain what they have, then <see cref="Completion"/> completes.</summary>
    public void Complete() => _input?.Complete();

    /// <summary>
    /// The pipeline as a Mermaid flowchart: each stage with its parallelism, capacity, order and
    /// error policy, and its live counts (in, out, failed, queued).
    /// </summary>
    /// <returns>Mermaid text, starting with <c>flowchart LR</c>.</returns>
    public string Describe() => _core.Describe();

    /// <inheritdoc />
    public override string ToString() => $"Pipeline<{typeof(TIn).Name}>({Name ?? "unnamed"}, {Completion.Status})";

    private ITargetBlock<Envelope<TIn>> Input => _input ?? throw new InvalidOperationException("This pipeline is fed from ports; it takes no sends. Send to the ports' chans instead.");

    /// <summary>Waits for room at the input; false when the pipeline completed, failed or was cancelled meanwhile (or before).</summary>
    private bool SendWaiting(ITargetBlock<Envelope<TIn>> input, Envelope<TIn> envelope)
    {
        try
        {
            return input.SendAsync(envelope, _core.StopToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_core.StopToken.IsCancellationRequested)
        {
            // The pipeline's own stop ended the wait, not the caller: a stopped pipeline refuses
            // the item like a completed one, with its failure as the reason.
            return false;
        }
    }

    private ChannelClosedException Refused() => _core.FailureSoFar is { } failure
        ? new ChannelClosedException("The pipeline failed and takes no more items; its failure is the InnerException.", failure)
        : new ChannelClosedException("The pipeline was completed (or cancelled) and takes no more items.");
}
