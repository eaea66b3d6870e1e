namespace Flow;

/// <summary>
/// One end of a bidirectional channel: sends <typeparamref name="TSend"/> to the other end and
/// receives <typeparamref name="TRecv"/> from it.
/// </summary>
/// <typeparam name="TSend">What this end sends.</typeparam>
/// <typeparam name="TRecv">What this end receives.</typeparam>
/// <remarks>
/// Each direction behaves as a <see cref="Chan{T}"/>/<see cref="Port{T}"/> pair: in order, exactly
/// once, one sender and one receiver at a time. <see cref="Close"/> ends this side: the peer still
/// receives what was sent, then its receives throw <see cref="ChannelClosedException"/>, and its
/// sends to this end fail.
/// </remarks>
[SuppressMessage("Naming", "CA1711", Justification = "DuplexStream is the guide's name for this type (DESIGN.md); it is not a System.IO.Stream.")]
public sealed class DuplexStream<TSend, TRecv> : IDisposable, IOwnedEnd
{
    internal DuplexStream(Chan<TSend> outgoing, Port<TRecv> incoming)
    {
        Outgoing = outgoing;
        Incoming = incoming;
    }

    /// <summary>The sending direction of this end.</summary>
    public Chan<TSend> Outgoing { get; }

    /// <summary>The receiving direction of this end.</summary>
    public Port<TRecv> Incoming { get; }

    /// <summary>Sends to the other end, blocking while a bounded stream is full.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="ChannelClosedException">This end was closed, or the other end was.</exception>
    public void Send(TSend message) => Outgoing.Send(message);

    /// <summary>Sends to the other end without blocking a thread.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops the wait. If cancelled, the message was not enqueued.</param>
    /// <returns>Completes when the message is in the stream.</returns>
    public ValueTask SendAsync(TSend message, CancellationToken cancellationToken = default) => Outgoing.SendAsync(message, cancellationToken);

    /// <summary>Sends to the other end if that needs no waiting.</summary>
    /// <param name="message">The message.</param>
    /// <returns>True when sent.</returns>
    public bool TrySend(TSend message) => Outgoing.TrySend(message);

    /// <summary>Receives from the other end, blocking the calling thread.</summary>
    /// <returns>The oldest message.</returns>
    /// <exception cref="ChannelClosedException">The other end closed and everything it sent was received.</exception>
    public TRecv Recv() => Incoming.Recv();

    /// <summary>Receives from the other end without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops the wait. If cancelled, no message was taken.</param>
    /// <returns>The oldest message.</returns>
    public ValueTask<TRecv> RecvAsync(CancellationToken cancellationToken = default) => Incoming.RecvAsync(cancellationToken);

    /// <summary>Takes a message from the other end if one is waiting.</summary>
    /// <param name="message">The message, when the result is true.</param>
    /// <returns>True when a message was taken.</returns>
    public bool TryRecv([MaybeNullWhen(false)] out TRecv message) => Incoming.TryRecv(out message);

    /// <summary>Ends this side: closes the outgoing direction and drops the incoming one. Idempotent.</summary>
    public void Close()
    {
        Outgoing.Close();
        Incoming.Dispose();
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    void IOwnedEnd.EndOwned(Exception? failure)
    {
        Outgoing.Core.CompleteWriting(failure);
        Incoming.Dispose();
    }
}
