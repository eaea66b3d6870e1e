namespace Flow;

/// <summary>What <see cref="Pipeline{TIn}.Describe"/> shows of one stage, and its live counts.</summary>
/// <remarks>
/// Counters of a stage with parallelism 1 are plain increments: Dataflow runs such a stage's
/// function on one worker at a time. Only parallel stages (and the input, which any thread may
/// send to) pay for interlocked increments.
/// </remarks>
internal sealed class StageInfo(int id, string kind, string name, StageOptions options, Func<int>? queued, bool concurrent)
{
    private readonly bool _parallel = concurrent || options.Parallelism > 1;
    private long _in;
    private long _out;
    private long _failed;

    public int Id { get; } = id;

    public string Kind { get; } = kind;

    public string Name { get; } = name;

    public StageOptions Options { get; } = options;

    public List<int> Next { get; } = [];

    public long In => Volatile.Read(ref _in);

    public long Out => Volatile.Read(ref _out);

    public long Failed => Volatile.Read(ref _failed);

    public int Queued => queued?.Invoke() ?? 0;

    public void CountIn() => Count(ref _in);

    public void CountOut() => Count(ref _out);

    public void CountFailed() => Interlocked.Increment(ref _failed);

    private void Count(ref long counter)
    {
        if (_parallel)
        {
            Interlocked.Increment(ref counter);
        }
        else
        {
            counter++;
        }
    }
}
