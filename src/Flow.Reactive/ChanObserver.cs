namespace Flow.Reactive;

/// <summary>A chan as an observer: <c>OnNext</c> sends (waiting while a bounded chan is full), <c>OnCompleted</c> closes, <c>OnError</c> fails.</summary>
internal sealed class ChanObserver<T>(Action<T> send, Action close, Action<Exception> fail) : IObserver<T>
{
    public void OnNext(T value) => send(value);

    public void OnError(Exception error) => fail(error);

    public void OnCompleted() => close();
}
