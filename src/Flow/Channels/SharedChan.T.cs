using System.Runtime.CompilerServices;
using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// A sending handle of a shared channel. <see cref="Clone"/> makes another handle to the same
/// channel for another sender; the port sees the end only after every handle was closed.
/// </summary>
/// <typeparam name="T">The type of the messages.</typeparam>
/// <remarks>
/// <para><b>Ordering.</b> The port receives each handle's messages in the order that handle sent
/// them, each exactly once; messages of different handles interleave.</para>
/// <para><b>Closing.</b> <see cref="Close"/>, <see cref="Fail"/> and <see cref="Dispose"/> end this
/// handle only (idempotent, the first wins). When the last handle ends, the port drains and then
/// sees the end; if any handle failed, the end carries the first failure.</para>
/// <para><b>Threading.</b> Each handle has one sender at a time; give each concurrent sender its
/// own clone. <see cref="Clone"/> may be called from any thread.</para>
/// </remarks>
public sealed class SharedChan<T> : ITargetBlock<T>, IDisposable, IOwnedEnd
{
    private readonly SenderCount<T> _senders;

    /// <summary>1 once this handle ended; set once.</summary>
    private int _closed;

    private SendWaiter<T>? _sendWaiter;
    private ChanTarget<T>? _target;

    internal SharedChan(ChanCore<T> core, SenderCount<T> senders)
    {
        Core = core;
        _senders = senders;
    }

    internal ChanCore<T> Core { get; }

    /// <summary>True once this handle was closed, failed or disposed, or the port was disposed: a send would throw.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0 || Core.IsReceiverGone;

    /// <summary>The capacity the channel was created with, or null when unbounded.</summary>
    public int? Capacity => Core.Capacity < 0 ? null : Core.Capacity;

    /// <summary>The number of handles not yet closed (a snapshot).</summary>
    public int SenderCount => _senders.Count;

    /// <summary>Makes another handle to the same channel, for another sender.</summary>
    /// <returns>A new open handle; close it when its sender is done.</returns>
    /// <exception cref="ChannelClosedException">This handle was already closed.</exception>
    public SharedChan<T> Clone()
    {
        if (Volatile.Read(ref _closed) != 0 || !_senders.TryAdd())
        {
            throw new ChannelClosedException("Clone of a closed SharedChan handle. Clone before closing, from a handle that is still open.");
        }

        return new SharedChan<T>(Core, _senders);
    }

    /// <summary>Sends <paramref name="message"/>, blocking the calling thread while a bounded channel is full.</summary>
    /// <param name="message">The message; from now on it belongs to the receiver.</param>
    /// <exception cref="ChannelClosedException">This handle was closed, or the port was disposed.</exception>
    /// <exception cref="TaskKilledException">The calling Flow task was killed while the send waited.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Send(T message) => Send(message, default);

    /// <summary>Sends <paramref name="message"/>, blocking while a bounded channel is full, until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="message">The message; from now on it belongs to the receiver.</param>
    /// <param name="cancellationToken">Stops the wait. If cancelled, the message was not sent.</param>
    /// <exception cref="ChannelClosedException">This handle was closed, or the port was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public void Send(T message, CancellationToken cancellationToken)
    {
        SendStatus status = TrySendCore(message);
        if (status != SendStatus.Sent)
        {
            if (status != SendStatus.Full)
            {
                throw ChanCore<T>.NotSentException(status);
            }

            Core.Send(message, _sendWaiter ??= new SendWaiter<T>(shared: true), cancellationToken);
        }
    }

    /// <summary>Sends <paramref name="message"/>, waiting asynchronously while a bounded channel is full.</summary>
    /// <param name="message">The message; from now on it belongs to the receiver.</param>
    /// <param name="cancellationToken">Stops the wait. If cancelled, the message was not enqueued.</param>
    /// <returns>Completes when the message is in the channel. Completes synchronously, without allocating, when there is room.</returns>
    /// <exception cref="ChannelClosedException">This handle was closed, or the port was disposed.</exception>
    public ValueTask SendAsync(T message, CancellationToken cancellationToken = default)
    {
        SendStatus status = TrySendCore(message);
        return status switch
        {
            SendStatus.Sent => default,
            SendStatus.Full => Core.SendAsync(message, _sendWaiter ??= new SendWaiter<T>(shared: true), cancellationToken),
            _ => ValueTask.FromException(ChanCore<T>.NotSentException(status)),
        };
    }

    /// <summary>Sends <paramref name="message"/> if that needs no waiting. Never throws for a closed channel.</summary>
    /// <param name="message">The message; it belongs to the receiver only when the result is true.</param>
    /// <returns>True when sent; false when full, closed, or the port is gone.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TrySend(T message) => TrySendCore(message) == SendStatus.Sent;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private SendStatus TrySendCore(T message) =>
        Volatile.Read(ref _closed) != 0 ? SendStatus.Closed : Core.TrySend(message);

    /// <summary>Ends this handle. The port sees the end once every handle ended. Idempotent.</summary>
    public void Close() => End(null);

    /// <summary>
    /// Ends this handle with a failure. The other handles' messages are still delivered; once the
    /// last handle ends, the port's receives throw <see cref="ChannelClosedException"/> with the
    /// first failure as the inner exception.
    /// </summary>
    /// <param name="exception">Why this sender stopped.</param>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public void Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        End(exception);
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    void IOwnedEnd.EndOwned(Exception? failure) => End(failure);

    private void End(Exception? failure)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _senders.Release(failure);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"SharedChan<{typeof(T).Name}>({(IsClosed ? "closed" : "open")}, senders: {SenderCount})";

    // ---------------------------------------------------------------------------------------
    // Dataflow target protocol.

    /// <summary>Completes when the port has received everything (the port's <see cref="Port{T}.Completion"/>).</summary>
    public Task Completion => Core.Completion;

    /// <inheritdoc />
    DataflowMessageStatus ITargetBlock<T>.OfferMessage(DataflowMessageHeader messageHeader, T messageValue, ISourceBlock<T>? source, bool consumeToAccept) =>
        ChanTarget<T>.Offer(ref _target, this, Core, IsClosed, messageHeader, messageValue, source, consumeToAccept);

    /// <summary>Same as <see cref="Close"/> (ends this handle), once every message accepted from a linked source was delivered.</summary>
    void IDataflowBlock.Complete() => ChanTarget<T>.EndAfterDeliveries(Volatile.Read(ref _target), Close);

    /// <summary>Same as <see cref="Fail"/> (ends this handle with a failure), once every message accepted from a linked source was delivered.</summary>
    void IDataflowBlock.Fault(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ChanTarget<T>.EndAfterDeliveries(Volatile.Read(ref _target), () => Fail(exception));
    }
}
