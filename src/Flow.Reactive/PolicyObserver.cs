namespace Flow.Reactive;

/// <summary>
/// Feeds a chan from an observable under a backpressure policy. Rx serializes an observable's
/// notifications, so the chan has one sender at a time, as a chan must.
/// </summary>
internal sealed class PolicyObserver<T>(Chan<T> chan, ObservablePort<T> target) : IObserver<T>
{
    public void OnNext(T value)
    {
        switch (target.Policy)
        {
            case BackpressurePolicy.Block:
                try
                {
                    chan.Send(value);
                }
                catch (ChannelClosedException)
                {
                    // The port is gone: nobody will receive, so stop listening.
                    target.Detach();
                }

                break;

            case BackpressurePolicy.DropNewest:
                if (!chan.TrySend(value))
                {
                    Refused(value);
                }

                break;

            case BackpressurePolicy.DropOldest:
                while (!chan.TrySend(value))
                {
                    if (chan.IsClosed)
                    {
                        target.Detach();
                        return;
                    }

                    // Take the oldest out of the receiver's way. Each message is taken once, by
                    // us or by the receiver, so none is lost unreported.
                    if (target.Port.TryRecv(out T? oldest))
                    {
                        target.OnDropped(oldest);
                    }
                }

                break;

            default:
                if (!chan.TrySend(value))
                {
                    if (!chan.IsClosed)
                    {
                        chan.Fail(new BackpressureOverflowException());
                    }

                    target.Detach();
                }

                break;
        }
    }

    public void OnError(Exception error) => chan.Fail(error);

    public void OnCompleted() => chan.Close();

    private void Refused(T value)
    {
        if (chan.IsClosed)
        {
            target.Detach();
        }
        else
        {
            target.OnDropped(value);
        }
    }
}
