using System.Reactive.Disposables;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Flow.Reactive;

/// <summary>
/// A port as an observable: a subscription becomes the port's receiver and turns each message into
/// <c>OnNext</c>, a clean close into <c>OnCompleted</c>, and a failed sender into <c>OnError</c>
/// with the sender's exception.
/// </summary>
/// <remarks>
/// Cold and single-subscriber, because a port has one receiver: each subscription receives from
/// where the port is when it subscribes; while one is active, another gets
/// <c>OnError(InvalidOperationException)</c>; once it is disposed, a new one goes on with the
/// messages left. Disposing stops taking messages before the next one (a message already handed
/// to <c>OnNext</c> is delivered). Notifications are serialized, on thread-pool threads.
/// </remarks>
internal sealed class PortObservable<T>(Port<T> port) : IObservable<T>
{
    /// <summary>Which ports have an active subscription, whichever observable object made it.</summary>
    private static readonly ConditionalWeakTable<Port<T>, StrongBox<int>> s_active = [];

    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        StrongBox<int> active = s_active.GetValue(port, static _ => new StrongBox<int>());
        if (Interlocked.CompareExchange(ref active.Value, 1, 0) != 0)
        {
            observer.OnError(new InvalidOperationException("This port already has an active subscription: a port has one receiver. Dispose the first subscription, or Publish() one subscription and share it."));
            return Disposable.Empty;
        }

        var stop = new CancellationTokenSource();

        // Started as a work item, so Subscribe returns its disposable before the first OnNext.
        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Self.PumpAsync(s.Observer, s.Stop, s.Active), (Self: this, Observer: observer, Stop: stop, Active: active), preferLocal: false);
        return Disposable.Create(stop, static s => s.Cancel());
    }

    private async Task PumpAsync(IObserver<T> observer, CancellationTokenSource stop, StrongBox<int> active)
    {
        CancellationToken token = stop.Token;
        try
        {
            while (await port.WaitToRecvAsync(token).ConfigureAwait(false))
            {
                // Checked before every take, so a disposed subscription takes nothing more.
                while (!token.IsCancellationRequested && port.TryRecv(out T? message))
                {
                    Deliver(observer.OnNext, message);
                }

                token.ThrowIfCancellationRequested();
            }

            Deliver(static o => o.OnCompleted(), observer);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Unsubscribed: no more notifications.
        }
        catch (ObserverFailedException failed)
        {
            // The observer threw: that is the observer's bug, and it is not hidden.
            ExceptionDispatchInfo observerFailure = failed.Failure;
            ThreadPool.UnsafeQueueUserWorkItem(static f => f.Throw(), observerFailure, preferLocal: false);
        }
        catch (ChannelClosedException closed) when (closed.InnerException is not null)
        {
            Deliver(observer.OnError, closed.InnerException);
        }
        catch (Exception e)
        {
            Deliver(observer.OnError, e);
        }
        finally
        {
            // The source is not disposed here: the subscriber may dispose its subscription (which
            // cancels it) after the stream ended. It holds no timer or handle, so the GC reclaims it.
            Volatile.Write(ref active.Value, 0);
        }
    }

    private static void Deliver<TArg>(Action<TArg> notify, TArg argument)
    {
        try
        {
            notify(argument);
        }
        catch (Exception e)
        {
            throw new ObserverFailedException(ExceptionDispatchInfo.Capture(e));
        }
    }

    /// <summary>Carries an exception the observer threw past the pump's own handlers.</summary>
    private sealed class ObserverFailedException(ExceptionDispatchInfo failure) : Exception("The observer threw.", failure.SourceException)
    {
        public ExceptionDispatchInfo Failure { get; } = failure;
    }
}
