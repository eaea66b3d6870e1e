using System.Threading.Tasks.Dataflow;

namespace Flow.Tests.Channels;

/// <summary>
/// The sending end of one channel configuration as the shared suite sees it: a <see cref="Chan{T}"/>
/// or a <see cref="SharedChan{T}"/> handle. Both have the same sending contract.
/// </summary>
internal interface ITestSender<T> : IDisposable
{
    bool IsClosed { get; }

    /// <summary>The handle as a Dataflow target.</summary>
    ITargetBlock<T> Target { get; }

    void Send(T message);

    void Send(T message, CancellationToken cancellationToken);

    ValueTask SendAsync(T message, CancellationToken cancellationToken = default);

    bool TrySend(T message);

    void Close();

    void Fail(Exception exception);
}

internal sealed class ChanSender<T>(Chan<T> chan) : ITestSender<T>
{
    public bool IsClosed => chan.IsClosed;

    public ITargetBlock<T> Target => chan;

    public void Send(T message) => chan.Send(message);

    public void Send(T message, CancellationToken cancellationToken) => chan.Send(message, cancellationToken);

    public ValueTask SendAsync(T message, CancellationToken cancellationToken = default) => chan.SendAsync(message, cancellationToken);

    public bool TrySend(T message) => chan.TrySend(message);

    public void Close() => chan.Close();

    public void Fail(Exception exception) => chan.Fail(exception);

    public void Dispose() => chan.Dispose();
}

internal sealed class SharedSender<T>(SharedChan<T> chan) : ITestSender<T>
{
    public bool IsClosed => chan.IsClosed;

    public ITargetBlock<T> Target => chan;

    public void Send(T message) => chan.Send(message);

    public void Send(T message, CancellationToken cancellationToken) => chan.Send(message, cancellationToken);

    public ValueTask SendAsync(T message, CancellationToken cancellationToken = default) => chan.SendAsync(message, cancellationToken);

    public bool TrySend(T message) => chan.TrySend(message);

    public void Close() => chan.Close();

    public void Fail(Exception exception) => chan.Fail(exception);

    public void Dispose() => chan.Dispose();
}
