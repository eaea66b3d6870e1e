namespace Flow;

/// <summary>
/// A receiver parked on a port: a direct receive, or a select that watches several ports.
/// </summary>
/// <remarks>
/// A waiter sits in its core's single waiter slot. Whoever takes it out of the slot (a sender
/// that made a message available, a close, or the waiter itself on cancellation) owns the one
/// <see cref="Notify"/> that may follow, so a waiter is never woken twice for one registration.
/// </remarks>
internal abstract class ReceiveWaiter
{
    /// <summary>
    /// True when this waiter will take the next message it is woken for (a plain receive). A
    /// select only looks, so a rendezvous sender must not count it as a receiver.
    /// </summary>
    public virtual bool Commits => true;

    /// <summary>Wakes the waiter. Called at most once per registration, never under a core lock.</summary>
    public abstract void Notify();
}
