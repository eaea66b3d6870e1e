namespace Flow;

/// <summary>
/// A channel has ended: a receive found it closed and drained, or a send found its port gone or
/// its own chan closed.
/// </summary>
/// <remarks>
/// When the sender failed (<c>Chan.Fail</c>, or a task that owned the chan threw),
/// <see cref="Exception.InnerException"/> is the sender's exception, so the receiver learns why
/// its sender died.
/// </remarks>
public class ChannelClosedException : FlowException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ChannelClosedException()
        : base("The channel is closed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ChannelClosedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the sender's failure.</summary>
    public ChannelClosedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// In a <c>Select</c>, the index of the port that was found closed; otherwise <see langword="null"/>.
    /// </summary>
    public int? PortIndex { get; init; }

    internal static ChannelClosedException Drained(Exception? cause) => cause is null
        ? new ChannelClosedException("The channel is closed and every message was received. Use TryRecv, Iter() or await foreach to stop at the end instead of catching this.")
        : new ChannelClosedException("The sender failed and every message it sent was received; the sender's exception is the InnerException.", cause);

    internal static ChannelClosedException ClosedInSelect(int portIndex, Exception? cause) => new(
        cause is null
            ? $"Port {portIndex} of the select is closed and drained. Give its case an onClosed action, or stop selecting on it once it ends."
            : $"The sender of port {portIndex} of the select failed and the port is drained; the sender's exception is the InnerException.",
        cause)
    {
        PortIndex = portIndex,
    };

    internal static ChannelClosedException SendAfterClose() =>
        new("Send on a closed chan: this handle was closed or disposed. Use TrySend to test whether a send is still possible.");

    internal static ChannelClosedException PortGone() =>
        new("Send to a port that was disposed: nobody will receive this message, and it still belongs to the sender. Use TrySend to test whether a send is still possible.");
}
