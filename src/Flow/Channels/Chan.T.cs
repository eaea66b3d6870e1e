using System.Runtime.CompilerServices;
using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// The sending end of a channel, for one sender. Hand it to the task that sends; for several
/// senders, use <see cref="SharedChan{T}"/>.
/// </summary>
/// <typeparam name="T">The type of the messages.</typeparam>
/// <remarks>
/// <para><b>Ordering.</b> The port receives the messages in the order this chan sent them, each
/// exactly once, including every message sent before <see cref="Close"/> or <see cref="Fail"/>.</para>
/// <para><b>Closing.</b> <see cref="Close"/>, <see cref="Fail"/> and <see cref="Dispose"/> end the
/// stream; the first one wins and the others do nothing. After that, or after the port was
/// disposed, <see cref="Send(T)"/> throws <see cref="ChannelClosedException"/> and
/// <see cref="TrySend"/> returns false; a refused message still belongs to the caller.</para>
/// <para><b>Threading.</b> One sender at a time: the chan may move between tasks, but concurrent
/// sends are misuse (detected when a send has to wait). Close must not race a send on the same
/// chan.</para>
/// <para><b>Dataflow.</b> A chan is an <see cref="ITargetBlock{TInput}"/>: a source can
/// <c>LinkTo</c> it, and <c>Complete</c>/<c>Fault</c> close or fail it.</para>
/// </remarks>
public sealed class Chan<T> : ITargetBlock<T>, IDisposable, IOwnedEnd
{
    private SendWaiter<T>? _sendWaiter;
    private ChanTarget<T>? _target;

    internal Chan(ChanCore<T> core) => Core = core;

    internal ChanCore<T> Core { get; }

    /// <summary>True once this chan was closed, failed or disposed, or its port was disposed: a send would throw.</summary>
    public bool IsClosed => Core.IsWritingDone || Core.IsReceiverGone;

    /// <summary>The capacity the channel was created with, or null when unbounded.</summary>
    public int? Capacity => Core.Capacity < 0 ? null : Core.Capacity;

    /// <summary>Sends <paramref name="message"/>, blocking the calling thread while a bounded channel is full.</summary>
    /// <param name="message">The message; from now on it belongs to the receiver.</param>
    /// <exception cref="ChannelClosedException">The chan was closed, or the port was disposed.</exception>
    /// <exception cref="TaskKilledException">The calling Flow task was killed while the send waited.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Send(T message)
    {
        SendStatus status = Core.TrySend(message);
        if (status != SendStatus.Sent)
        {
            SendSlow(message, status, default);
        }
    }

    /// <summary>Sends <paramref name="message"/>, blocking while a bounded channel is full, until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="message">The message; from now on it belongs to the receiver.</param>
    /// <param name="cancellationToken">Stops the wait. If cancelled, the message was not sent.</param>
    /// <exception cref="ChannelClosedException">The chan was closed, or the port was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public void Send(T message, CancellationToken cancellationToken)
    {
        SendStatus status = Core.TrySend(message);
        if (status != SendStatus.Sent)
        {
            SendSlow(message, status, cancellationToken);
        }
    }

    private void SendSlow(T message, SendStatus status, CancellationToken cancellationToken)
    {
        if (status != SendStatus.Full)
        {
            throw ChanCore<T>.NotSentException(status);
        }

        Core.Send(message, _sendWaiter ??= new SendWaiter<T>(shared: false), cancellationToken);
    }

    /// <summary>Sends <paramref name="message"/>, waiting asynchronously while a bounded channel is full.</summary>
    /// <param name="message">The message; from now on it belongs to the receiver.</param>
    /// <param name="cancellationToken">Stops the wait. If cancelled, the message was not enqueued.</param>
    /// <returns>Completes when the message is in the channel (for a rendezvous: in the receiver's hands). Completes synchronously, without allocating, when there is room.</returns>
    /// <exception cref="ChannelClosedException">The chan was closed, or the port was disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask SendAsync(T message, CancellationToken cancellationToken = default)
    {
        SendStatus status = Core.TrySend(message);
        return status == SendStatus.Sent ? default : SendAsyncSlow(message, status, cancellationToken);
    }

    private ValueTask SendAsyncSlow(T message, SendStatus status, CancellationToken cancellationToken) =>
        status != SendStatus.Full
            ? ValueTask.FromException(ChanCore<T>.NotSentException(status))
            : Core.SendAsync(message, _sendWaiter ??= new SendWaiter<T>(shared: false), cancellationToken);

    /// <summary>Sends <paramref name="message"/> if that needs no waiting. Never throws for a closed channel.</summary>
    /// <param name="message">The message; it belongs to the receiver only when the result is true.</param>
    /// <returns>True when sent; false when a bounded channel is full (a rendezvous with no receiver waiting), the chan is closed or the port is gone.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TrySend(T message) => Core.TrySend(message) == SendStatus.Sent;

    /// <summary>Ends the stream cleanly: the port receives what was sent, then sees the end. Idempotent; the first ending wins.</summary>
    public void Close() => Core.CompleteWriting(null);

    /// <summary>
    /// Ends the stream with a failure: the port receives what was sent, then its receives throw
    /// <see cref="ChannelClosedException"/> with <paramref name="exception"/> as the inner exception,
    /// and its <see cref="Port{T}.Completion"/> faults with it. The first ending wins.
    /// </summary>
    /// <param name="exception">Why the sender stopped.</param>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public void Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Core.CompleteWriting(exception);
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    void IOwnedEnd.EndOwned(Exception? failure) => Core.CompleteWriting(failure);

    /// <inheritdoc />
    public override string ToString() => $"Chan<{typeof(T).Name}>({(IsClosed ? "closed" : "open")})";

    // ---------------------------------------------------------------------------------------
    // Dataflow target protocol.

    /// <summary>Completes when the port has received everything (the port's <see cref="Port{T}.Completion"/>).</summary>
    public Task Completion => Core.Completion;

    /// <inheritdoc />
    DataflowMessageStatus ITargetBlock<T>.OfferMessage(DataflowMessageHeader messageHeader, T messageValue, ISourceBlock<T>? source, bool consumeToAccept) =>
        ChanTarget<T>.Offer(ref _target, this, Core, IsClosed, messageHeader, messageValue, source, consumeToAccept);

    /// <summary>Same as <see cref="Close"/>, once every message accepted from a linked source was delivered.</summary>
    void IDataflowBlock.Complete() => ChanTarget<T>.EndAfterDeliveries(Volatile.Read(ref _target), Close);

    /// <summary>Same as <see cref="Fail"/>, once every message accepted from a linked source was delivered.</summary>
    void IDataflowBlock.Fault(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ChanTarget<T>.EndAfterDeliveries(Volatile.Read(ref _target), () => Fail(exception));
    }
}
