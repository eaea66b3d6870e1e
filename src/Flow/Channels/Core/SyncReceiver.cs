namespace Flow;

/// <summary>The reusable waiter of a port's blocking receives: a thread parked on an event.</summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The event lives as long as its port, which has no owner to dispose it; an event that never blocked holds no handle, and one that did is released by its SafeHandle's finalizer.")]
internal sealed class SyncReceiver : ReceiveWaiter, IKillable
{
    private readonly ManualResetEventSlim _event = new(initialState: false);

    public override void Notify() => _event.Set();

    void IKillable.OnKilled() => _event.Set();

    public void Reset() => _event.Reset();

    /// <summary>Waits for a notify. Returns false when the token fired or the task was killed first.</summary>
    public bool Wait(JoinHandle? task, CancellationToken cancellationToken) => BlockingWait.Wait(_event, task, this, cancellationToken);
}
