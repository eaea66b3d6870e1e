using System.Runtime.CompilerServices;
using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// The receiving end of a channel. Messages arrive in the order they were sent (per sender, for a
/// shared chan), each exactly once.
/// </summary>
/// <typeparam name="T">The type of the messages.</typeparam>
/// <remarks>
/// <para><b>Closing.</b> When every sender has closed, the port still delivers every buffered
/// message; after the last one, <see cref="Recv()"/> and <see cref="RecvAsync"/> throw
/// <see cref="ChannelClosedException"/>, <see cref="TryRecv"/> returns false,
/// <see cref="Iter"/> and <c>await foreach</c> end, and <see cref="Completion"/> completes.</para>
/// <para><b>Failure.</b> When a sender failed (<see cref="Chan{T}.Fail"/>, or a task that owned
/// the chan threw), the end of the stream carries its exception: receives throw
/// <see cref="ChannelClosedException"/> with it as <see cref="Exception.InnerException"/>,
/// enumeration throws the same once drained, and <see cref="Completion"/> faults with it.</para>
/// <para><b>Cancellation.</b> A cancelled receive took no message. Inside a Flow task, every
/// receive that would wait also stops with <see cref="TaskKilledException"/> when the task is
/// killed.</para>
/// <para><b>Threading.</b> A port has one receiver at a time. It may be handed from task to task,
/// but a second receiver that waits while another is waiting gets
/// <see cref="InvalidOperationException"/> at once. <see cref="TryRecv"/> never waits and never
/// throws.</para>
/// <para><b>Dataflow.</b> A port is an <see cref="IReceivableSourceBlock{TOutput}"/>:
/// <c>LinkTo</c> (with <see cref="DataflowLinkOptions.PropagateCompletion"/>),
/// <c>DataflowBlock.ReceiveAsync</c> and the rest of the source protocol work. While linked, the
/// links are the port's receiver.</para>
/// </remarks>
public sealed class Port<T> : IReceivableSourceBlock<T>, IAsyncEnumerable<T>, IDisposable, IOwnedEnd, ISelectable
{
    internal Port(ChanCore<T> core) => Core = core;

    internal ChanCore<T> Core { get; }

    /// <summary>The capacity the channel was created with, or null when unbounded.</summary>
    public int? Capacity => Core.Capacity < 0 ? null : Core.Capacity;

    /// <summary>The number of messages waiting to be received (a snapshot).</summary>
    public int Count => Core.Count;

    /// <summary>
    /// True when nothing more will be received: every sender closed and every message was taken,
    /// or the port was disposed. Tells apart the two reasons <see cref="TryRecv"/> returns false.
    /// </summary>
    public bool IsCompleted => Core.Poll(take: false, out _, out _) == PollResult.Ended;

    /// <summary>
    /// Completes when the channel is closed and drained (or the port is disposed); faults with the
    /// sender's exception itself when the sender failed.
    /// </summary>
    public Task Completion => Core.Completion;

    /// <summary>Receives the next message, blocking the calling thread until one arrives.</summary>
    /// <returns>The oldest message.</returns>
    /// <exception cref="ChannelClosedException">Every sender closed and every message was received; <see cref="Exception.InnerException"/> is the sender's failure, if it failed.</exception>
    /// <exception cref="InvalidOperationException">Another receiver is waiting on this port.</exception>
    /// <exception cref="ObjectDisposedException">The port was disposed.</exception>
    /// <exception cref="TaskKilledException">The calling Flow task was killed while waiting.</exception>
    public T Recv() => Core.Recv(default);

    /// <summary>Receives the next message, blocking the calling thread until one arrives or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="cancellationToken">Stops the wait. If cancelled, no message was taken.</param>
    /// <returns>The oldest message.</returns>
    /// <exception cref="ChannelClosedException">Every sender closed and every message was received.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public T Recv(CancellationToken cancellationToken) => Core.Recv(cancellationToken);

    /// <summary>Receives the next message without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops the wait. If cancelled, no message was taken.</param>
    /// <returns>The oldest message. Completes synchronously, without allocating, when one is waiting.</returns>
    /// <exception cref="ChannelClosedException">Every sender closed and every message was received; <see cref="Exception.InnerException"/> is the sender's failure, if it failed.</exception>
    /// <exception cref="InvalidOperationException">Another receiver is waiting on this port.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<T> RecvAsync(CancellationToken cancellationToken = default) => Core.RecvAsync(cancellationToken);

    /// <summary>Takes the next message if one is waiting. Never waits and never throws.</summary>
    /// <param name="message">The message, when the result is true.</param>
    /// <returns>True when a message was taken; false when none is waiting or the stream ended (see <see cref="IsCompleted"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRecv([MaybeNullWhen(false)] out T message) => Core.TryRecv(out message);

    /// <summary>
    /// Waits until a receive would not wait, without taking anything.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>True when a message is waiting; false when the channel closed cleanly and is drained.</returns>
    /// <exception cref="ChannelClosedException">The sender failed and the channel is drained.</exception>
    public ValueTask<bool> WaitToRecvAsync(CancellationToken cancellationToken = default) => Core.WaitToRecvAsync(cancellationToken);

    /// <summary>
    /// Receives every message until the channel closes, blocking the calling thread between them.
    /// </summary>
    /// <param name="cancellationToken">Stops the enumeration between messages.</param>
    /// <returns>The messages in order; ends normally at a clean close.</returns>
    /// <exception cref="ChannelClosedException">Thrown by the enumeration once drained, when the sender failed.</exception>
    public IEnumerable<T> Iter(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (Core.TryRecv(out T? message))
            {
                yield return message;
            }
            else if (!Core.WaitToRecv(cancellationToken))
            {
                yield break;
            }
        }
    }

    /// <summary>Receives every message until the channel closes (<c>await foreach</c>).</summary>
    /// <param name="cancellationToken">Stops the enumeration; a cancelled step took no message.</param>
    /// <returns>An enumerator that ends normally at a clean close and throws <see cref="ChannelClosedException"/> once drained when the sender failed.</returns>
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new PortAsyncEnumerator<T>(Core, cancellationToken);

    /// <summary>
    /// Drops the port: later sends throw <see cref="ChannelClosedException"/> (<c>TrySend</c>
    /// returns false), senders blocked on a full channel are woken with that exception, and each
    /// buffered message that is <see cref="IDisposable"/> is disposed, once. Idempotent.
    /// </summary>
    public void Dispose() => Core.DisposeReceiver();

    void IOwnedEnd.EndOwned(Exception? failure) => Dispose();

    // A port is what a select watches; an array of ports is then an array of selectables as it is.
    bool ISelectable.IsReady => Core.IsReady;

    void ISelectable.EnterReceiving() => Core.EnterReceiving();

    void ISelectable.ExitReceiving() => Core.ExitReceiving();

    bool ISelectable.TryRegister(ReceiveWaiter waiter) => Core.TryRegister(waiter);

    bool ISelectable.TryUnregister(ReceiveWaiter waiter) => Core.TryUnregister(waiter);

    /// <inheritdoc />
    public override string ToString() => $"Port<{typeof(T).Name}>(count: {Count}{(IsCompleted ? ", completed" : string.Empty)})";

    // ---------------------------------------------------------------------------------------
    // Dataflow source protocol.

    private PortSource<T> Source
    {
        get
        {
            PortSource<T> source = Core.Source;
            source.Bind(this);
            return source;
        }
    }

    /// <inheritdoc />
    public IDisposable LinkTo(ITargetBlock<T> target, DataflowLinkOptions linkOptions) => Source.LinkTo(target, linkOptions);

    /// <inheritdoc />
    public bool TryReceive(Predicate<T>? filter, [MaybeNullWhen(false)] out T item) => Source.TryReceive(filter, out item);

    /// <inheritdoc />
    public bool TryReceiveAll([NotNullWhen(true)] out IList<T>? items) => Source.TryReceiveAll(out items);

    /// <inheritdoc />
    T? ISourceBlock<T>.ConsumeMessage(DataflowMessageHeader messageHeader, ITargetBlock<T> target, out bool messageConsumed) =>
        Source.ConsumeMessage(messageHeader, target, out messageConsumed);

    /// <inheritdoc />
    bool ISourceBlock<T>.ReserveMessage(DataflowMessageHeader messageHeader, ITargetBlock<T> target) => Source.ReserveMessage(messageHeader, target);

    /// <inheritdoc />
    void ISourceBlock<T>.ReleaseReservation(DataflowMessageHeader messageHeader, ITargetBlock<T> target) => Source.ReleaseReservation(messageHeader, target);

    /// <summary>For a port, completing the block means dropping it: same as <see cref="Dispose"/>.</summary>
    void IDataflowBlock.Complete() => Dispose();

    /// <summary>For a port, faulting the block means dropping it: same as <see cref="Dispose"/>.</summary>
    void IDataflowBlock.Fault(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Dispose();
    }
}
