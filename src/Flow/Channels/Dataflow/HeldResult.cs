namespace Flow;

/// <summary>What a plain receive finds in a linked port's held slot.</summary>
internal enum HeldResult : byte
{
    /// <summary>Nothing is held: the receive takes from the core.</summary>
    None,

    /// <summary>The held message was taken (or, when only looking, is there to take).</summary>
    Taken,

    /// <summary>A target reserved the held message: nothing may be received before it.</summary>
    Blocked,
}
