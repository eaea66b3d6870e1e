using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// Starts pipelines: chains of stages (Dataflow blocks) with bounded parallelism, order,
/// backpressure and contained failure.
/// </summary>
/// <example>
/// <code>
/// var (deadLetters, dead) = Chan.New&lt;DeadLetter&gt;();
/// Pipeline&lt;string&gt; sum = Pipeline.Create&lt;string&gt;()
///     .Select(int.Parse, new StageOptions { Parallelism = 4, OnError = ErrorPolicy.RouteTo(dead) })
///     .Batch(100)
///     .ForEach(batch => total += batch.Sum());
/// </code>
/// </example>
public static class Pipeline
{
    /// <summary>Starts a pipeline that takes <typeparamref name="T"/> through <see cref="Pipeline{TIn}.Send"/>.</summary>
    /// <typeparam name="T">What the pipeline takes in.</typeparam>
    /// <param name="options">Cancellation, input capacity, default stage options, name.</param>
    /// <returns>The builder for the first stage.</returns>
    public static PipelineBuilder<T, T> Create<T>(PipelineOptions? options = null)
    {
        var core = new PipelineCore(options);
        if (core.Options.InputCapacity is not int capacity)
        {
            // No input bound: the first stage's own block takes the sends.
            StageInfo logical = core.AddStage("Input", new StageOptions { Name = core.Options.Name ?? "Input" }, null, null, concurrent: true);
            core.Input = logical;
            return new PipelineBuilder<T, T>(core, null, null, logical, mayHaveHoles: false);
        }

        var input = new BufferBlock<Envelope<T>>(new DataflowBlockOptions { BoundedCapacity = capacity, CancellationToken = core.StopToken });
        StageInfo stage = core.AddStage("Input", new StageOptions { Capacity = capacity, Name = core.Options.Name ?? "Input" }, () => input.Count, null, concurrent: true);
        core.Input = stage;
        return new PipelineBuilder<T, T>(core, input, input, stage, mayHaveHoles: false);
    }

    /// <summary>
    /// Starts a pipeline fed by every message of <paramref name="ports"/> (fan-in). It completes
    /// only when all of them closed — unlike a Dataflow block fed by several links, which completes
    /// with the first — and fails with a sender's exception when a port's sender failed.
    /// </summary>
    /// <typeparam name="T">The messages' type.</typeparam>
    /// <param name="ports">The ports; the pipeline becomes their receiver.</param>
    /// <param name="options">Cancellation, default stage options, name.</param>
    /// <returns>The builder for the first stage.</returns>
    /// <exception cref="ArgumentException"><paramref name="ports"/> is empty.</exception>
    public static PipelineBuilder<T, T> Merge<T>(IReadOnlyList<Port<T>> ports, PipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ports);
        if (ports.Count == 0)
        {
            throw new ArgumentException("Merge needs at least one port.", nameof(ports));
        }

        var core = new PipelineCore(options);
        var head = new BufferBlock<Envelope<T>>(new DataflowBlockOptions { BoundedCapacity = 1, CancellationToken = core.StopToken });
        StageInfo stage = core.AddStage(ports.Count == 1 ? "Port" : "Merge", new StageOptions { Capacity = 1, Name = core.Options.Name ?? (ports.Count == 1 ? "Port" : $"Merge of {ports.Count} ports") }, () => head.Count, null, concurrent: true);
        // The pipeline owns its ports as their receiver: when it fails or is cancelled it stops
        // reading, and disposing them wakes senders blocked on a full port instead of leaving them.
        core.Completion.ContinueWith(
            (done, state) =>
            {
                if (!done.IsCompletedSuccessfully)
                {
                    foreach (Port<T> owned in (IReadOnlyList<Port<T>>)state!)
                    {
                        owned.Dispose();
                    }
                }
            },
            ports.ToArray(),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        int open = ports.Count;
        foreach (Port<T> port in ports)
        {
            ArgumentNullException.ThrowIfNull(port, nameof(ports));
            _ = PumpAsync(port, head, core, stage, () =>
            {
                // The head completes when the last port closed, not the first.
                if (Interlocked.Decrement(ref open) == 0)
                {
                    head.Complete();
                }
            });
        }

        return new PipelineBuilder<T, T>(core, null, head, stage, mayHaveHoles: false);
    }

    /// <summary>Starts a pipeline fed by every message of <paramref name="port"/>; it completes when the port closes.</summary>
    /// <typeparam name="T">The messages' type.</typeparam>
    /// <param name="port">The port; the pipeline becomes its receiver.</param>
    /// <param name="options">Cancellation, default stage options, name.</param>
    /// <returns>The builder for the first stage.</returns>
    public static PipelineBuilder<T, T> Pipe<T>(this Port<T> port, PipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(port);
        return Merge([port], options);
    }

    /// <summary>Moves a port's messages into the pipeline's head; a failed sender fails the pipeline.</summary>
    private static async Task PumpAsync<T>(Port<T> port, ITargetBlock<Envelope<T>> head, PipelineCore core, StageInfo stage, Action onClosed)
    {
        try
        {
            while (await port.WaitToRecvAsync(core.StopToken).ConfigureAwait(false))
            {
                while (port.TryRecv(out T? message))
                {
                    if (!await head.SendAsync(new Envelope<T>(message, false), core.StopToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    stage.CountIn();
                }
            }

            onClosed();
        }
        catch (OperationCanceledException) when (core.StopToken.IsCancellationRequested)
        {
            // The pipeline is stopping; its blocks end cancelled or with the recorded failure.
        }
        catch (ChannelClosedException closed) when (closed.InnerException is not null)
        {
            core.Fail(closed.InnerException);
        }
        catch (Exception e)
        {
            core.Fail(e);
        }
    }
}
