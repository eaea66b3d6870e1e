namespace Flow.Reactive;

/// <summary>What <see cref="ReactiveExtensions.ToPort{T}"/> does when the observable produces faster than the port's receiver takes.</summary>
public enum BackpressurePolicy
{
    /// <summary>
    /// The observable's <c>OnNext</c> blocks until there is room. Nothing is lost, but the producing
    /// thread waits: a producer on a shared scheduler (a timer, the thread pool, a UI thread) stalls
    /// everything else that scheduler runs, and a producer that is also the consumer deadlocks.
    /// </summary>
    Block,

    /// <summary>The oldest waiting message is dropped to make room; the newest always gets in.</summary>
    DropOldest,

    /// <summary>The new message is dropped while the port is full.</summary>
    DropNewest,

    /// <summary>The first message that finds the port full fails the port with <see cref="BackpressureOverflowException"/> and ends the subscription.</summary>
    Fail,
}
