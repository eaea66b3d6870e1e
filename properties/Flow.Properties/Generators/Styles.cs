namespace Flow.Properties.Generators;

/// <summary>How a sender in a concurrent law sends.</summary>
public enum SendStyle
{
    /// <summary><c>Send(message, token)</c> on a dedicated thread, blocking while the channel is full.</summary>
    Blocking,

    /// <summary><c>await SendAsync(message, token)</c> on the thread pool.</summary>
    Async,
}

/// <summary>How the receiver in a law drains a port.</summary>
public enum ReceiveStyle
{
    /// <summary><c>Recv</c> until it throws <see cref="ChannelClosedException"/>.</summary>
    Recv,

    /// <summary><c>foreach (… in port.Iter())</c>.</summary>
    Iter,

    /// <summary><c>await RecvAsync</c> until it throws <see cref="ChannelClosedException"/>.</summary>
    RecvAsync,

    /// <summary><c>await foreach (… in port)</c>.</summary>
    AwaitForeach,

    /// <summary><c>TryRecv</c>, and <c>await WaitToRecvAsync</c> whenever nothing is waiting.</summary>
    TryRecvThenWait,
}

/// <summary>How the sender of a law ends its stream.</summary>
public enum Ending
{
    /// <summary><c>Close()</c>.</summary>
    Close,

    /// <summary><c>Dispose()</c> (the same as close).</summary>
    Dispose,

    /// <summary><c>Fail(exception)</c>: the end carries the exception.</summary>
    Fail,
}

/// <summary>Which select API a select law drives.</summary>
public enum SelectStyle
{
    /// <summary><c>Select.Recv(params Port&lt;T&gt;[])</c>, blocking.</summary>
    Recv,

    /// <summary><c>await Select.RecvAsync(ports, token)</c>.</summary>
    RecvAsync,

    /// <summary><c>Select.Case(…).Case(…).Run()</c>, each case with an <c>onClosed</c> action.</summary>
    Builder,
}

/// <summary>How the echoing side of a ping-pong law waits for the next message.</summary>
public enum EchoStyle
{
    /// <summary><c>Recv(token)</c>, blocking a dedicated thread.</summary>
    Recv,

    /// <summary><c>await RecvAsync(token)</c>.</summary>
    RecvAsync,

    /// <summary><c>Select.Recv</c> over the port and a second port that never gets a message.</summary>
    Select,

    /// <summary><c>await Select.RecvAsync</c> over the port and a second port that never gets a message.</summary>
    SelectAsync,
}
