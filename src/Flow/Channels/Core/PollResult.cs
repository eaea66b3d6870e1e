namespace Flow;

/// <summary>What a receiver found when it looked at a core without waiting.</summary>
internal enum PollResult : byte
{
    /// <summary>Nothing yet; the channel is still open.</summary>
    Empty,

    /// <summary>A message was taken (or, when only looking, one is there).</summary>
    Message,

    /// <summary>The channel is closed and drained, or the port was disposed.</summary>
    Ended,
}
