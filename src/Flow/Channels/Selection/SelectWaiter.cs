namespace Flow;

/// <summary>
/// One select parked on all of its ports at once. A select only looks (<see cref="Commits"/> is
/// false): woken, it chooses among the ports that are ready then, which may not be the one that
/// woke it, and takes exactly one message.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "Disposed by the select that owns it; see Dispose.")]
internal sealed class SelectWaiter : ReceiveWaiter, IThreadPoolWorkItem, IDisposable, IKillable
{
    private static readonly TimerCallback s_onTimeout = static state => ((SelectWaiter)state!).OnTimeout();

    private readonly bool _async;
    private ManualResetEventSlim? _event;
    private TaskCompletionSource? _round;
    private ITimer? _timer;
    private volatile bool _timedOut;

    public SelectWaiter(bool isAsync) => _async = isAsync;

    public override bool Commits => false;

    /// <summary>True once the select's timeout elapsed.</summary>
    public bool TimedOut => _timedOut;

    /// <summary>Starts the timeout clock on the runtime's time provider.</summary>
    public void StartTimer(TimeSpan timeout) => _timer = FlowRuntime.Current.Time.CreateTimer(s_onTimeout, this, timeout, Timeout.InfiniteTimeSpan);

    /// <summary>Prepares a new round of waiting; a notify left over from the last round is harmless (the select looks again).</summary>
    public Task? Reset()
    {
        if (_async)
        {
            _round = new TaskCompletionSource();
            return _round.Task;
        }

        (_event ??= new ManualResetEventSlim(initialState: false)).Reset();
        return null;
    }

    /// <summary>Blocks until notified or timed out; false when the token fired or the task was killed first.</summary>
    public bool Wait(JoinHandle? task, CancellationToken cancellationToken) => BlockingWait.Wait(_event!, task, this, cancellationToken);

    void IKillable.OnKilled() => Notify();

    public override void Notify()
    {
        if (_async)
        {
            FlowRuntime.Current.Schedule(this);
        }
        else
        {
            _event!.Set();
        }
    }

    private void OnTimeout()
    {
        _timedOut = true;
        Notify();
    }

    void IThreadPoolWorkItem.Execute() => Volatile.Read(ref _round)?.TrySetResult();

    public void Dispose()
    {
        _timer?.Dispose();
        _event?.Dispose();
    }
}
