using System.Text;
using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// What every stage of one pipeline shares: the stop switch, the first failure, the stage list for
/// <c>Describe</c>, and the end of the whole network.
/// </summary>
/// <remarks>
/// <para>Every Dataflow block of the pipeline runs with <see cref="StopToken"/>. The first failure
/// (a stage whose policy is <see cref="ErrorPolicy.FailPipeline"/>, a failed source port, a block
/// that faulted) is recorded and stops every block at once, so no stage is left waiting on a
/// neighbour that will never take or give anything: nothing can hang after a failure.</para>
/// <para>The pipeline ends when every terminal (the main one and each <c>Tee</c> branch's) ended,
/// with the first failure itself — not an <see cref="AggregateException"/> of Dataflow's — or
/// cancelled when the caller's token stopped it.</para>
/// </remarks>
internal sealed class PipelineCore
{
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<StageInfo> _stages = [];
    private readonly List<Task> _terminals = [];
    private Exception? _failure;

    /// <summary>Branches still being built: 1 for the main line, one more per <c>Tee</c>; each terminal ends one.</summary>
    private int _openBranches = 1;

    public PipelineCore(PipelineOptions? options)
    {
        Options = options ?? new PipelineOptions();
        _stop = CancellationTokenSource.CreateLinkedTokenSource(Options.CancellationToken);
        StopToken = _stop.Token;
    }

    public PipelineOptions Options { get; }

    /// <summary>Fires when the pipeline must stop: the caller cancelled, or something failed.</summary>
    /// <remarks>
    /// Taken once, here: <see cref="Finish"/> disposes the source, whose <c>Token</c> getter then
    /// throws, while a late <c>Send</c> still needs the token to be refused properly.
    /// </remarks>
    public CancellationToken StopToken { get; }

    public Task Completion => _completion.Task;

    public Exception? FailureSoFar => Volatile.Read(ref _failure);

    /// <summary>The first stage's block, when it takes the pipeline's sends directly.</summary>
    public object? InputBlock { get; set; }

    /// <summary>The input stage of a pipeline that takes sends; null for one fed from ports.</summary>
    public StageInfo? Input { get; set; }

    /// <summary>The pipeline object, once the main line reached its terminal.</summary>
    public object? Pipeline { get; set; }

    /// <summary>True for an exception that is the item's failure, not the pipeline stopping.</summary>
    public bool IsItemFailure(Exception exception) => exception is not OperationCanceledException || !_stop.IsCancellationRequested;

    /// <summary>Records the first failure and stops every stage.</summary>
    public void Fail(Exception exception)
    {
        if (Interlocked.CompareExchange(ref _failure, exception, null) is null)
        {
            _stop.Cancel();
        }
    }

    public StageInfo AddStage(string kind, StageOptions options, Func<int>? queued, StageInfo? from, bool concurrent = false)
    {
        lock (_stages)
        {
            var stage = new StageInfo(_stages.Count, kind, options.Name ?? $"{kind}#{_stages.Count}", options, queued, concurrent);
            _stages.Add(stage);
            from?.Next.Add(stage.Id);
            return stage;
        }
    }

    /// <summary>Opens a branch for a <c>Tee</c>; returns how many are open now.</summary>
    public int OpenBranch() => Interlocked.Increment(ref _openBranches);

    /// <summary>Branches not yet ended by a terminal.</summary>
    public int OpenBranches => Volatile.Read(ref _openBranches);

    /// <summary>Registers a terminal's block; once the last branch has one, the pipeline's end is its terminals' end.</summary>
    public void AddTerminal(Task blockCompletion)
    {
        lock (_terminals)
        {
            _terminals.Add(blockCompletion);
        }

        if (Interlocked.Decrement(ref _openBranches) == 0)
        {
            Task[] terminals;
            lock (_terminals)
            {
                terminals = [.. _terminals];
            }

            Task.WhenAll(terminals).ContinueWith(
                static (_, state) => ((PipelineCore)state!).Finish(),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private void Finish()
    {
        Exception? faulted = null;
        lock (_terminals)
        {
            foreach (Task terminal in _terminals)
            {
                if (terminal.IsFaulted)
                {
                    faulted ??= Innermost(terminal.Exception!);
                }
            }
        }

        // A failure recorded by a stage is the cause; a terminal's fault is at most its echo.
        Exception? failure = Volatile.Read(ref _failure) ?? faulted;
        if (failure is not null)
        {
            _completion.TrySetException(failure);
        }
        else if (_stop.IsCancellationRequested)
        {
            _completion.TrySetCanceled(Options.CancellationToken.IsCancellationRequested ? Options.CancellationToken : _stop.Token);
        }
        else
        {
            _completion.TrySetResult();
        }

        _stop.Dispose();
    }

    /// <summary>Dataflow nests faults in aggregates as they propagate; the cause is the innermost one.</summary>
    private static Exception Innermost(AggregateException aggregate)
    {
        Exception exception = aggregate;
        while (exception is AggregateException { InnerExceptions.Count: 1 } single)
        {
            exception = single.InnerExceptions[0];
        }

        return exception;
    }

    public ExecutionDataflowBlockOptions BlockOptions(StageOptions options) => new()
    {
        MaxDegreeOfParallelism = options.Parallelism,
        BoundedCapacity = options.Capacity ?? DataflowBlockOptions.Unbounded,
        EnsureOrdered = options.Ordered,
        TaskScheduler = options.Scheduler?.AsTaskScheduler() ?? TaskScheduler.Default,
        CancellationToken = StopToken,
    };

    public StageOptions Resolve(StageOptions? options) => options ?? Options.DefaultStageOptions ?? s_defaultStage;

    private static readonly StageOptions s_defaultStage = new();

    /// <summary>The stages as a Mermaid flowchart, with their settings and live counts.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("flowchart LR\n");
        StageInfo[] stages;
        lock (_stages)
        {
            stages = [.. _stages];
        }

        foreach (StageInfo stage in stages)
        {
            StageOptions o = stage.Options;
            string capacity = o.Capacity is int c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "∞";
            string settings = stage.Kind is "Input" or "Port" or "Merge"
                ? $"capacity {capacity}"
                : $"parallelism {o.Parallelism}, capacity {capacity}, {(o.Ordered ? "ordered" : "unordered")}, on error: {(o.OnError ?? ErrorPolicy.FailPipeline).Describe}";
            string counts = stage.Kind is "Input" or "Port" or "Merge"
                ? $"in {stage.In} · queued {stage.Queued}"
                : $"in {stage.In} · out {stage.Out} · failed {stage.Failed} · queued {stage.Queued}";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"    s{stage.Id}[\"{Escape(stage.Name)}<br/>{settings}<br/>{counts}\"]\n");
        }

        foreach (StageInfo stage in stages)
        {
            foreach (int next in stage.Next)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"    s{stage.Id} --> s{next}\n");
            }
        }

        return text.ToString();
    }

    private static string Escape(string name) => name.Replace("\"", "'", StringComparison.Ordinal);
}
