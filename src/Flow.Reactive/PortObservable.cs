using System.Reactive.Disposables;
using System.Runtime.CompilerServices;

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
/// to <c>OnNext</c> is delivered) and gives the port back before it returns: the next receiver,
/// or the next subscription, can start at once. Notifications are serialized, on thread-pool threads.
/// An observer that throws ends its subscription; the exception goes to
/// <see cref="ReactiveExtensions.ObserverFailed"/>.
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

        var subscription = new Subscription(port, observer, active);

        // Started as a work item, so Subscribe returns its disposable before the first OnNext.
        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.PumpAsync(), subscription, preferLocal: false);
        return subscription;
    }

    /// <summary>
    /// One subscription: the pump that receives and notifies, and the disposable that ends it. The
    /// two meet in <see cref="_state"/>, so that whoever ends the subscription first releases the
    /// port's subscription slot, once, and so that <see cref="Dispose"/> knows whether the pump is
    /// parked in a receive on the port (and holds its receiver until it wakes).
    /// </summary>
    private sealed class Subscription(Port<T> port, IObserver<T> observer, StrongBox<int> active) : IDisposable
    {
        /// <summary>Taking messages, delivering them, or between two waits: the port's receiver is free.</summary>
        private const int Running = 0;

        /// <summary>In <c>WaitToRecvAsync</c> (or about to enter it): the pump holds the port's receiver.</summary>
        private const int Waiting = 1;

        /// <summary>Unsubscribed. Set only by <see cref="Dispose"/>; final.</summary>
        private const int Disposed = 2;

        /// <summary>The pump ended the stream itself (completed, failed, or the observer threw); final.</summary>
        private const int Ended = 3;

        private readonly CancellationTokenSource _stop = new();

        /// <summary>Set by the pump when it leaves a wait that <see cref="Dispose"/> interrupted.</summary>
        private readonly ManualResetEventSlim _leftWait = new();

        private int _state;

        public async Task PumpAsync()
        {
            CancellationToken token = _stop.Token;
            Exception? error = null;
            try
            {
                while (true)
                {
                    // Announce the wait before starting it: a Dispose that sees Waiting waits for
                    // us to leave it, so that the port's receiver is free when Dispose returns.
                    if (Interlocked.CompareExchange(ref _state, Waiting, Running) != Running)
                    {
                        return;
                    }

                    bool more;
                    try
                    {
                        more = await port.WaitToRecvAsync(token).ConfigureAwait(false);
                    }
                    finally
                    {
                        if (Interlocked.CompareExchange(ref _state, Running, Waiting) != Waiting)
                        {
                            // Disposed while we waited: the receive above has returned, so the
                            // port's receiver is free; let Dispose return.
                            _leftWait.Set();
                        }
                    }

                    if (!more)
                    {
                        break;
                    }

                    // Checked before every take, so a disposed subscription takes nothing more.
                    while (Volatile.Read(ref _state) == Running && port.TryRecv(out T? message))
                    {
                        try
                        {
                            observer.OnNext(message);
                        }
                        catch (Exception e)
                        {
                            ObserverFailed(e);
                            return;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Unsubscribed: no more notifications.
                return;
            }
            catch (Exception e)
            {
                error = e is ChannelClosedException { InnerException: { } cause } ? cause : e;
            }

            if (!TryEnd())
            {
                return;
            }

            try
            {
                if (error is null)
                {
                    observer.OnCompleted();
                }
                else
                {
                    observer.OnError(error);
                }
            }
            catch (Exception e)
            {
                ObserverFailed(e);
            }
        }

        /// <summary>Ends the subscription from the outside; returns once the port is free for its next receiver.</summary>
        public void Dispose()
        {
            int state;
            do
            {
                state = Volatile.Read(ref _state);
                if (state is Disposed or Ended)
                {
                    return;
                }
            }
            while (Interlocked.CompareExchange(ref _state, Disposed, state) != state);

            _stop.Cancel();
            if (state == Waiting)
            {
                // The cancellation wakes the pump's receive through the Flow runtime, not on this
                // thread; the receiver guard is held until then. A short wait: no user code runs
                // in between. (Not taken when Dispose is called from OnNext: the pump is Running.)
                _leftWait.Wait();
            }

            // The source and the event are not disposed: the pump may still be finishing a
            // notification on another thread. They hold no timer or handle, so the GC reclaims them.
            Volatile.Write(ref active.Value, 0);
        }

        /// <summary>
        /// Ends the stream from the pump. False when the subscription was disposed first (no
        /// terminal notification then). The slot is released before the terminal notification, so a
        /// subscriber that reacts to it (or to a task built on it) can subscribe again at once.
        /// </summary>
        private bool TryEnd()
        {
            if (Interlocked.CompareExchange(ref _state, Ended, Running) != Running)
            {
                return false;
            }

            Volatile.Write(ref active.Value, 0);
            return true;
        }

        /// <summary>
        /// The observer threw: that is the observer's bug, and it is not hidden. The subscription
        /// ends first (the port is free, its messages left in it), then the failure is reported.
        /// </summary>
        private void ObserverFailed(Exception exception)
        {
            TryEnd();
            ReactiveExtensions.ReportObserverFailure(port, exception);
        }
    }
}
