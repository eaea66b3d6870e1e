namespace Flow.Properties.Generators;

/// <summary>One step of a single-threaded script against a bounded chan: <c>TrySend(Value)</c> or <c>TryRecv</c>.</summary>
/// <param name="IsSend">True for <c>TrySend</c>, false for <c>TryRecv</c>.</param>
/// <param name="Value">The message of a <c>TrySend</c>; 0 for <c>TryRecv</c>.</param>
public readonly record struct BufferOp(bool IsSend, int Value)
{
    /// <inheritdoc />
    public override string ToString() => IsSend ? $"TrySend {Value}" : "TryRecv";
}

/// <summary>What a step of a shared-chan script does.</summary>
public enum HandleAction
{
    /// <summary><c>TrySend(value)</c> on a handle.</summary>
    Send,

    /// <summary><c>TryRecv</c> on the port.</summary>
    Recv,

    /// <summary><c>Close()</c> on a handle (again, if it is already closed).</summary>
    Close,

    /// <summary><c>Clone()</c> of a handle: a new handle, or <see cref="ChannelClosedException"/> when the handle is closed.</summary>
    Clone,

    /// <summary><c>Fail(exception)</c> on a handle: ends it; the port's end carries the first failure.</summary>
    Fail,
}

/// <summary>
/// One step of a single-threaded script against a shared chan and its clones. <see cref="Handle"/>
/// wraps around the handles that exist at that step (handle 0 is the original).
/// </summary>
/// <param name="Action">What the step does.</param>
/// <param name="Handle">Which handle, modulo the number of handles.</param>
/// <param name="Value">The message of a send.</param>
public readonly record struct HandleOp(HandleAction Action, int Handle, int Value)
{
    /// <inheritdoc />
    public override string ToString() => Action switch
    {
        HandleAction.Send => $"h{Handle}.TrySend {Value}",
        HandleAction.Recv => "TryRecv",
        _ => $"h{Handle}.{Action}",
    };
}

/// <summary>What a step of a blocked-senders script does.</summary>
public enum OfferAction
{
    /// <summary><c>TrySend(value)</c> on a handle.</summary>
    TrySend,

    /// <summary><c>SendAsync(value)</c> on a handle: completes at once if there is room, else stays pending (a blocked sender).</summary>
    SendAsync,

    /// <summary><c>TryRecv</c> on the port.</summary>
    TryRecv,
}

/// <summary>
/// One step of a single-threaded script with blocked senders: each of a few shared-chan handles may
/// have one <c>SendAsync</c> pending. <see cref="Handle"/> wraps around the handles.
/// </summary>
/// <param name="Action">What the step does.</param>
/// <param name="Handle">Which handle, modulo the number of handles.</param>
/// <param name="Value">The message of a send.</param>
public readonly record struct OfferOp(OfferAction Action, int Handle, int Value)
{
    /// <inheritdoc />
    public override string ToString() => Action == OfferAction.TryRecv ? "TryRecv" : $"h{Handle}.{Action} {Value}";
}
