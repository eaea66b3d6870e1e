namespace Flow;

/// <summary>What a non-blocking send attempt found.</summary>
internal enum SendStatus : byte
{
    /// <summary>The message is in the channel (or in a waiting receiver's hands).</summary>
    Sent,

    /// <summary>A bounded channel has no room; nothing was enqueued.</summary>
    Full,

    /// <summary>The sending side was closed; nothing was enqueued.</summary>
    Closed,

    /// <summary>The port was disposed; nothing was enqueued and the sender still owns the message.</summary>
    PortGone,
}
