using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// Builds a pipeline one stage at a time; each stage is a Dataflow block linked to the one before,
/// with completion propagated. End it with a terminal: <see cref="ForEach"/>,
/// <see cref="ForEachAsync"/>, <see cref="To(Chan{T})"/> or <see cref="ToPort"/>.
/// </summary>
/// <typeparam name="TIn">What the pipeline takes in.</typeparam>
/// <typeparam name="T">What the stages so far put out.</typeparam>
/// <remarks>
/// Each builder is used once: adding a stage returns a new builder for the next one, and a builder
/// that was continued (or ended) throws <see cref="InvalidOperationException"/> if used again. To
/// branch, use <see cref="Tee"/>.
/// </remarks>
public sealed class PipelineBuilder<TIn, T>
{
    private readonly PipelineCore _core;
    private readonly ITargetBlock<Envelope<TIn>>? _input;
    /// <summary>The last stage's block; null for a pipeline that takes sends and has no stage yet, whose first stage becomes its input.</summary>
    private readonly ISourceBlock<Envelope<T>>? _source;
    private readonly StageInfo _last;

    /// <summary>True when the last stage can emit holes, which the link to the next stage drops.</summary>
    private readonly bool _mayHaveHoles;
    private int _used;

    internal PipelineBuilder(PipelineCore core, ITargetBlock<Envelope<TIn>>? input, ISourceBlock<Envelope<T>>? source, StageInfo last, bool mayHaveHoles)
    {
        _core = core;
        _input = input;
        _source = source;
        _last = last;
        _mayHaveHoles = mayHaveHoles;
    }

    /// <summary>Adds a stage that maps each item with <paramref name="selector"/>.</summary>
    /// <typeparam name="TOut">The mapped type.</typeparam>
    /// <param name="selector">The mapping; what it throws is handled by the stage's <see cref="StageOptions.OnError"/>.</param>
    /// <param name="options">Parallelism, capacity, order, scheduler, error policy.</param>
    /// <returns>The builder for the next stage.</returns>
    public PipelineBuilder<TIn, TOut> Select<TOut>(Func<T, TOut> selector, StageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        StageOptions o = _core.Resolve(options);
        StageInfo stage = null!;
        ErrorPolicy policy = o.OnError ?? ErrorPolicy.FailPipeline;
        var block = new TransformBlock<Envelope<T>, Envelope<TOut>>(
            item =>
            {
                stage.CountIn();
                try
                {
                    TOut result = selector(item.Value);
                    stage.CountOut();
                    return new Envelope<TOut>(result, false);
                }
                catch (Exception e) when (_core.IsItemFailure(e))
                {
                    if (Contained(stage, policy, item.Value, e))
                    {
                        return Envelope<TOut>.Hole;
                    }

                    throw;
                }
            },
            _core.BlockOptions(o));
        stage = Continue("Select", o, block, () => block.InputCount + block.OutputCount);
        return Next(block, stage, policy);
    }

    /// <summary>Adds a stage that maps each item asynchronously.</summary>
    /// <typeparam name="TOut">The mapped type.</typeparam>
    /// <param name="selector">The mapping; it gets the pipeline's stop token.</param>
    /// <param name="options">Parallelism, capacity, order, scheduler, error policy.</param>
    /// <returns>The builder for the next stage.</returns>
    public PipelineBuilder<TIn, TOut> SelectAsync<TOut>(Func<T, CancellationToken, Task<TOut>> selector, StageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        StageOptions o = _core.Resolve(options);
        StageInfo stage = null!;
        ErrorPolicy policy = o.OnError ?? ErrorPolicy.FailPipeline;
        var block = new TransformBlock<Envelope<T>, Envelope<TOut>>(
            async item =>
            {
                stage.CountIn();
                try
                {
                    TOut result = await selector(item.Value, _core.StopToken).ConfigureAwait(false);
                    stage.CountOut();
                    return new Envelope<TOut>(result, false);
                }
                catch (Exception e) when (_core.IsItemFailure(e))
                {
                    if (Contained(stage, policy, item.Value, e))
                    {
                        return Envelope<TOut>.Hole;
                    }

                    throw;
                }
            },
            _core.BlockOptions(o));
        stage = Continue("SelectAsync", o, block, () => block.InputCount + block.OutputCount);
        return Next(block, stage, policy);
    }

    /// <summary>Adds a stage that maps each item asynchronously.</summary>
    /// <typeparam name="TOut">The mapped type.</typeparam>
    /// <param name="selector">The mapping.</param>
    /// <param name="options">Parallelism, capacity, order, scheduler, error policy.</param>
    /// <returns>The builder for the next stage.</returns>
    public PipelineBuilder<TIn, TOut> SelectAsync<TOut>(Func<T, Task<TOut>> selector, StageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return SelectAsync((item, _) => selector(item), options);
    }

    /// <summary>Adds a stage that keeps only the items <paramref name="predicate"/> accepts.</summary>
    /// <param name="predicate">The filter.</param>
    /// <param name="options">Parallelism, capacity, order, scheduler, error policy.</param>
    /// <returns>The builder for the next stage.</returns>
    public PipelineBuilder<TIn, T> Where(Func<T, bool> predicate, StageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        StageOptions o = _core.Resolve(options);
        StageInfo stage = null!;
        ErrorPolicy policy = o.OnError ?? ErrorPolicy.FailPipeline;
        var block = new TransformBlock<Envelope<T>, Envelope<T>>(
            item =>
            {
                stage.CountIn();
                try
                {
                    if (!predicate(item.Value))
                    {
                        return Envelope<T>.Hole;
                    }

                    stage.CountOut();
                    return item;
                }
                catch (Exception e) when (_core.IsItemFailure(e))
                {
                    if (Contained(stage, policy, item.Value, e))
                    {
                        return Envelope<T>.Hole;
                    }

                    throw;
                }
            },
            _core.BlockOptions(o));
        stage = Continue("Where", o, block, () => block.InputCount + block.OutputCount);
        return new PipelineBuilder<TIn, T>(_core, _input, block, stage, mayHaveHoles: true);
    }

    /// <summary>Adds a stage that maps each item to any number of items.</summary>
    /// <typeparam name="TOut">The items' type.</typeparam>
    /// <param name="selector">The mapping; its sequence is read inside the stage, so what the reading throws is the item's failure too.</param>
    /// <param name="options">Parallelism, capacity, order, scheduler, error policy.</param>
    /// <returns>The builder for the next stage.</returns>
    public PipelineBuilder<TIn, TOut> SelectMany<TOut>(Func<T, IEnumerable<TOut>> selector, StageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        StageOptions o = _core.Resolve(options);
        StageInfo stage = null!;
        ErrorPolicy policy = o.OnError ?? ErrorPolicy.FailPipeline;
        var block = new TransformManyBlock<Envelope<T>, Envelope<TOut>>(
            item =>
            {
                stage.CountIn();
                try
                {
                    var results = new List<Envelope<TOut>>();
                    foreach (TOut result in selector(item.Value))
                    {
                        results.Add(new Envelope<TOut>(result, false));
                    }

                    stage.CountOut();
                    return results;
                }
                catch (Exception e) when (_core.IsItemFailure(e))
                {
                    if (Contained(stage, policy, item.Value, e))
                    {
                        return [];
                    }

                    throw;
                }
            },
            _core.BlockOptions(o));
        stage = Continue("SelectMany", o, block, () => block.InputCount + block.OutputCount);
        return new PipelineBuilder<TIn, TOut>(_core, _input, block, stage, mayHaveHoles: false);
    }

    /// <summary>Adds a stage that maps each item to an asynchronous stream of items.</summary>
    /// <typeparam name="TOut">The items' type.</typeparam>
    /// <param name="selector">The mapping; the stream is read inside the stage.</param>
    /// <param name="options">Parallelism, capacity, order, scheduler, error policy.</param>
    /// <returns>The builder for the next stage.</returns>
    public PipelineBuilder<TIn, TOut> SelectMany<TOut>(Func<T, IAsyncEnumerable<TOut>> selector, StageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        StageOptions o = _core.Resolve(options);
        StageInfo stage = null!;
        ErrorPolicy policy = o.OnError ?? ErrorPolicy.FailPipeline;
        var block = new TransformManyBlock<Envelope<T>, Envelope<TOut>>(
            async item =>
            {
                stage.CountIn();
                try
                {
                    var results = new List<Envelope<TOut>>();
                    await foreach (TOut result in selector(item.Value).WithCancellation(_core.StopToken).ConfigureAwait(false))
                    {
                        results.Add(new Envelope<TOut>(result, false));
                    }

                    stage.CountOut();
                    return results;
                }
                catch (Exception e) when (_core.IsItemFailure(e))
                {
                    if (Contained(stage, policy, item.Value, e))
                    {
                        return [];
                    }

                    throw;
                }
            },
            _core.BlockOptions(o));
        stage = Continue("SelectMany", o, block, () => block.InputCount + block.OutputCount);
        return new PipelineBuilder<TIn, TOut>(_core, _input, block, stage, mayHaveHoles: false);
    }

    /// <summary>Adds a stage that groups items into arrays of <paramref name="size"/> (the last one may be shorter).</summary>
    /// <param name="size">Items per batch; at least 1.</param>
    /// <param name="options">Capacity and name (parallelism and error policy do not apply).</param>
    /// <returns>The builder for the next stage.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1.</exception>
    public PipelineBuilder<TIn, T[]> Batch(int size, StageOptions? options = null) => Batch(size, null, options);

    /// <summary>
    /// Adds a stage that groups items into arrays of <paramref name="size"/>, emitting a shorter one
    /// whenever <paramref name="interval"/> passes (on the runtime's clock) with items waiting.
    /// </summary>
    /// <param name="size">Items per batch; at least 1.</param>
    /// <param name="interval">How often a partial batch is flushed; positive.</param>
    /// <param name="options">Capacity and name.</param>
    /// <returns>The builder for the next stage.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1, or <paramref name="interval"/> is not positive.</exception>
    public PipelineBuilder<TIn, T[]> Batch(int size, TimeSpan interval, StageOptions? options = null)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A batch interval must be positive.");
        }

        return Batch(size, (TimeSpan?)interval, options);
    }

    private PipelineBuilder<TIn, T[]> Batch(int size, TimeSpan? interval, StageOptions? options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        StageOptions o = _core.Resolve(options);
        var batch = new BatchBlock<Envelope<T>>(size, new GroupingDataflowBlockOptions
        {
            BoundedCapacity = o.Capacity is int c ? Math.Max(c, size) : DataflowBlockOptions.Unbounded,
            CancellationToken = _core.StopToken,
            TaskScheduler = o.Scheduler?.AsTaskScheduler() ?? TaskScheduler.Default,
        });
        StageInfo stage = null!;
        var unwrap = new TransformBlock<Envelope<T>[], Envelope<T[]>>(
            items =>
            {
                stage.CountIn();
                var values = new T[items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    values[i] = items[i].Value;
                }

                stage.CountOut();
                return new Envelope<T[]>(values, false);
            },
            new ExecutionDataflowBlockOptions { CancellationToken = _core.StopToken, BoundedCapacity = 1 });
        batch.LinkTo(unwrap, new DataflowLinkOptions { PropagateCompletion = true });
        if (interval is TimeSpan every)
        {
            // Flushes on the runtime's clock (a fake one in tests), never on a timer of its own.
            ITimer timer = FlowRuntime.Current.Time.CreateTimer(static b => ((BatchBlock<Envelope<T>>)b!).TriggerBatch(), batch, every, every);
            batch.Completion.ContinueWith(_ => timer.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        stage = Continue(interval is null ? $"Batch({size})" : $"Batch({size}, {interval})", o, batch, () => batch.OutputCount * size);
        return new PipelineBuilder<TIn, T[]>(_core, _input, unwrap, stage, mayHaveHoles: false);
    }

    /// <summary>Adds a buffer of <paramref name="capacity"/> items between the previous stage and the next.</summary>
    /// <param name="capacity">At least 1.</param>
    /// <returns>The builder for the next stage.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public PipelineBuilder<TIn, T> Buffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        StageOptions o = new() { Capacity = capacity, Name = $"Buffer({capacity})" };
        var buffer = new BufferBlock<Envelope<T>>(new DataflowBlockOptions { BoundedCapacity = capacity, CancellationToken = _core.StopToken });
        StageInfo stage = Continue("Buffer", o, buffer, () => buffer.Count);
        return new PipelineBuilder<TIn, T>(_core, _input, buffer, stage, mayHaveHoles: false);
    }

    /// <summary>
    /// Sends every item down two branches: <paramref name="branch"/> (which must end with a
    /// terminal) and the builder returned. Each item goes to both, in order; the slower branch
    /// holds back the faster one (backpressure), so nothing is dropped.
    /// </summary>
    /// <param name="branch">Builds the second branch, ending with a terminal.</param>
    /// <returns>The builder of the main branch.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="branch"/> did not end with a terminal.</exception>
    public PipelineBuilder<TIn, T> Tee(Action<PipelineBuilder<TIn, T>> branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        var bounded = new DataflowBlockOptions { BoundedCapacity = 1, CancellationToken = _core.StopToken };
        var left = new BufferBlock<Envelope<T>>(bounded);
        var right = new BufferBlock<Envelope<T>>(bounded);
        StageOptions o = new() { Name = "Tee" };
        StageInfo stage = null!;
        var fan = new ActionBlock<Envelope<T>>(
            async item =>
            {
                stage.CountIn();
                await left.SendAsync(item, _core.StopToken).ConfigureAwait(false);
                await right.SendAsync(item, _core.StopToken).ConfigureAwait(false);
                stage.CountOut();
            },
            new ExecutionDataflowBlockOptions { BoundedCapacity = 1, CancellationToken = _core.StopToken });
        fan.Completion.ContinueWith(
            done =>
            {
                if (done.IsCompletedSuccessfully)
                {
                    left.Complete();
                    right.Complete();
                }
                else
                {
                    Exception why = done.Exception?.InnerException ?? new OperationCanceledException(_core.StopToken);
                    ((IDataflowBlock)left).Fault(why);
                    ((IDataflowBlock)right).Fault(why);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        stage = Continue("Tee", o, fan, () => fan.InputCount);
        int open = _core.OpenBranch();
        var second = new PipelineBuilder<TIn, T>(_core, _input, right, stage, mayHaveHoles: false);
        branch(second);

        // An ended branch closed exactly its own branch: the Tees nested in it open and close
        // theirs. A branch that was only continued (or ends only an inner Tee) would leave the
        // pipeline waiting for a terminal forever.
        if (_core.OpenBranches != open - 1)
        {
            throw new InvalidOperationException("A Tee branch must end with a terminal (ForEach, ForEachAsync, To or ToPort).");
        }

        return new PipelineBuilder<TIn, T>(_core, _input, left, stage, mayHaveHoles: false);
    }

    /// <summary>Ends the pipeline with <paramref name="action"/> run on each item.</summary>
    /// <param name="action">What to do with each item.</param>
    /// <param name="options">Parallelism, capacity, order, scheduler, error policy.</param>
    /// <returns>The pipeline, ready for input.</returns>
    public Pipeline<TIn> ForEach(Action<T> action, StageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        StageOptions o = _core.Resolve(options);
        StageInfo stage = null!;
        ErrorPolicy policy = o.OnError ?? ErrorPolicy.FailPipeline;
        var block = new ActionBlock<Envelope<T>>(
            item =>
            {
                stage.CountIn();
                try
                {
                    action(item.Value);
                    stage.CountOut();
                }
                catch (Exception e) when (_core.IsItemFailure(e))
                {
                    if (!Contained(stage, policy, item.Value, e))
                    {
                        throw;
                    }
                }
            },
            _core.BlockOptions(o));
        stage = Continue("ForEach", o, block, () => block.InputCount);
        return End(block);
    }

    /// <summary>Ends the pipeline with the async <paramref name="action"/> run on each item.</summary>
    /// <param name="action">What to do with each item; it gets the pipeline's stop token.</param>
    /// <param name="options">Parallelism, capacity, order, scheduler, error policy.</param>
    /// <returns>The pipeline, ready for input.</returns>
    public Pipeline<TIn> ForEachAsync(Func<T, CancellationToken, Task> action, StageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        StageOptions o = _core.Resolve(options);
        StageInfo stage = null!;
        ErrorPolicy policy = o.OnError ?? ErrorPolicy.FailPipeline;
        var block = new ActionBlock<Envelope<T>>(
            async item =>
            {
                stage.CountIn();
                try
                {
                    await action(item.Value, _core.StopToken).ConfigureAwait(false);
                    stage.CountOut();
                }
                catch (Exception e) when (_core.IsItemFailure(e))
                {
                    if (!Contained(stage, policy, item.Value, e))
                    {
                        throw;
                    }
                }
            },
            _core.BlockOptions(o));
        stage = Continue("ForEachAsync", o, block, () => block.InputCount);
        return End(block);
    }

    /// <summary>Ends the pipeline by sending each item to <paramref name="chan"/>, which the pipeline then owns: it is closed when the pipeline completes and failed when it fails.</summary>
    /// <param name="chan">Where the items go.</param>
    /// <returns>The pipeline, ready for input.</returns>
    public Pipeline<TIn> To(Chan<T> chan)
    {
        ArgumentNullException.ThrowIfNull(chan);
        return ToOwned(chan.SendAsync, chan);
    }

    /// <summary>Ends the pipeline by sending each item to <paramref name="chan"/>, which the pipeline then owns: it is closed when the pipeline completes and failed when it fails.</summary>
    /// <param name="chan">Where the items go.</param>
    /// <returns>The pipeline, ready for input.</returns>
    public Pipeline<TIn> To(SharedChan<T> chan)
    {
        ArgumentNullException.ThrowIfNull(chan);
        return ToOwned(chan.SendAsync, chan);
    }

    /// <summary>Ends the pipeline in a new port, which receives every item and closes when the pipeline completes (fails when it fails).</summary>
    /// <param name="capacity">The port's capacity (backpressure on the last stage); null for unbounded.</param>
    /// <returns>The pipeline, ready for input, and the port of its output.</returns>
    public (Pipeline<TIn> Pipeline, Port<T> Output) ToPort(int? capacity = null)
    {
        var (port, chan) = capacity is int c ? Chan.New<T>(c) : Chan.New<T>();
        return (To(chan), port);
    }

    private Pipeline<TIn> ToOwned(Func<T, CancellationToken, ValueTask> send, IOwnedEnd owned)
    {
        StageInfo stage = null!;
        var block = new ActionBlock<Envelope<T>>(
            async item =>
            {
                stage.CountIn();
                try
                {
                    await send(item.Value, _core.StopToken).ConfigureAwait(false);
                }
                catch (Exception e) when (_core.IsItemFailure(e))
                {
                    // The chan refused the item (its port was disposed): nothing can leave the
                    // pipeline any more, so it stops as a whole, and a sender waiting at a full
                    // input is refused instead of left waiting forever.
                    stage.CountFailed();
                    _core.Fail(e);
                    throw;
                }

                stage.CountOut();
            },
            new ExecutionDataflowBlockOptions { BoundedCapacity = 1, CancellationToken = _core.StopToken });
        stage = Continue("To", new StageOptions { Name = "To chan", Capacity = 1 }, block, () => block.InputCount);
        Pipeline<TIn> pipeline = End(block);

        // The chan ends with the whole pipeline, so its receiver sees the pipeline's outcome.
        pipeline.Completion.ContinueWith(
            done => owned.EndOwned(done.IsCompletedSuccessfully ? null : done.Exception?.InnerException ?? new OperationCanceledException("The pipeline was cancelled.")),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return pipeline;
    }

    // ---------------------------------------------------------------------------------------

    /// <summary>Links <paramref name="next"/> after the last stage and records it; the builder is used up.</summary>
    private StageInfo Continue(string kind, StageOptions options, ITargetBlock<Envelope<T>> next, Func<int> queued)
    {
        if (Interlocked.Exchange(ref _used, 1) != 0)
        {
            throw new InvalidOperationException("This pipeline builder was already continued or ended. Keep the builder each stage returns; use Tee to branch.");
        }

        if (_source is null)
        {
            // The first stage takes the sends itself: no buffer block in front, so no extra hop.
            _core.InputBlock = next;
            return _core.AddStage(kind, options, queued, _last);
        }

        var link = new DataflowLinkOptions { PropagateCompletion = true };
        if (_mayHaveHoles)
        {
            _source.LinkTo(next, link, static item => !item.IsHole);
            _source.LinkTo(DataflowBlock.NullTarget<Envelope<T>>(), static item => item.IsHole);
        }
        else
        {
            _source.LinkTo(next, link);
        }

        return _core.AddStage(kind, options, queued, _last);
    }

    private PipelineBuilder<TIn, TOut> Next<TOut>(ISourceBlock<Envelope<TOut>> block, StageInfo stage, ErrorPolicy policy) =>
        new(_core, _input, block, stage, mayHaveHoles: policy != ErrorPolicy.FailPipeline);

    private Pipeline<TIn> End(ActionBlock<Envelope<T>> terminal)
    {
        _core.AddTerminal(terminal.Completion);
        return (Pipeline<TIn>)(_core.Pipeline ??= new Pipeline<TIn>(_core, _input ?? _core.InputBlock as ITargetBlock<Envelope<TIn>>));
    }

    /// <summary>Applies the stage's policy to a failed item: true when contained (drop it), false when the pipeline must fail.</summary>
    private bool Contained(StageInfo stage, ErrorPolicy policy, T item, Exception exception)
    {
        stage.CountFailed();
        try
        {
            if (policy.Contain(item, stage.Name, exception))
            {
                return true;
            }
        }
        catch (Exception routing)
        {
            // The dead-letter chan refused the letter: that stops the pipeline, with that reason.
            _core.Fail(routing);
            return false;
        }

        _core.Fail(exception);
        return false;
    }
}
