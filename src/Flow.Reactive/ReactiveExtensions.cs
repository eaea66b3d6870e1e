using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Runtime.ExceptionServices;

namespace Flow.Reactive;

/// <summary>Bridges between Flow and Rx: ports, futures and pipelines as observables; observables as ports with backpressure; chans as observers.</summary>
public static class ReactiveExtensions
{
    /// <summary>
    /// Raised when an observer of <see cref="ToObservable{T}(Port{T})"/> throws from <c>OnNext</c>,
    /// <c>OnError</c> or <c>OnCompleted</c>, on the thread that called it.
    /// </summary>
    /// <remarks>
    /// In Rx an observer's exception goes back to whoever called it; here that is Flow's pump, which
    /// has nobody to give it to. So the subscription ends (no further notification; the message
    /// that failed counts as delivered, the rest stay in the port for its next receiver), and the
    /// exception comes here. With no handler it is rethrown on the thread pool, as an exception
    /// escaping an Rx scheduler's work item is: an unhandled exception, never a silent one. A
    /// handler that throws is treated the same way.
    /// </remarks>
    public static event EventHandler<ObserverFailedEventArgs>? ObserverFailed;

    /// <summary>
    /// The port's messages as an observable: <c>OnNext</c> per message, <c>OnCompleted</c> at a clean
    /// close, <c>OnError</c> with the sender's exception when the sender failed.
    /// </summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="port">The port; a subscription becomes its receiver.</param>
    /// <returns>A cold observable with one active subscription at a time (a port has one receiver); a second concurrent subscriber gets <c>OnError(InvalidOperationException)</c>.</returns>
    public static IObservable<T> ToObservable<T>(this Port<T> port)
    {
        ArgumentNullException.ThrowIfNull(port);
        return new PortObservable<T>(port);
    }

    /// <summary>The observable port's messages as an observable (see <see cref="ToObservable{T}(Port{T})"/>), so <c>source.ToPort(...).ToObservable()</c> reads as one chain.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="port">The observable port.</param>
    /// <returns>A cold observable with one active subscription at a time.</returns>
    public static IObservable<T> ToObservable<T>(this ObservablePort<T> port)
    {
        ArgumentNullException.ThrowIfNull(port);
        return port.Port.ToObservable();
    }

    /// <summary>
    /// Subscribes to <paramref name="source"/> and feeds a new port of <paramref name="capacity"/>
    /// under <paramref name="policy"/>: the backpressure Rx lacks. The port closes when the source
    /// completes and fails with its error.
    /// </summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="source">The observable.</param>
    /// <param name="capacity">The most messages waiting in the port; at least 1.</param>
    /// <param name="policy">What happens when the port is full; see <see cref="BackpressurePolicy.Block"/> for its danger.</param>
    /// <returns>The port with its drop count and drop event; dispose it to unsubscribe.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public static ObservablePort<T> ToPort<T>(this IObservable<T> source, int capacity, BackpressurePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown backpressure policy.");
        }

        var (port, chan) = Chan.New<T>(capacity);
        var result = new ObservablePort<T>(port, policy);
        result.Attach(source.Subscribe(new PolicyObserver<T>(chan, result)));
        return result;
    }

    /// <summary>The chan as an observer: <c>OnNext</c> sends (waiting while full), <c>OnCompleted</c> closes, <c>OnError</c> fails it.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="chan">The chan; the observable becomes its one sender.</param>
    /// <returns>The observer.</returns>
    public static IObserver<T> AsObserver<T>(this Chan<T> chan)
    {
        ArgumentNullException.ThrowIfNull(chan);
        return new ChanObserver<T>(chan.Send, chan.Close, chan.Fail);
    }

    /// <summary>The shared chan handle as an observer: <c>OnNext</c> sends, <c>OnCompleted</c> closes this handle, <c>OnError</c> fails it.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="chan">The handle; the observable becomes its one sender.</param>
    /// <returns>The observer.</returns>
    public static IObserver<T> AsObserver<T>(this SharedChan<T> chan)
    {
        ArgumentNullException.ThrowIfNull(chan);
        return new ChanObserver<T>(chan.Send, chan.Close, chan.Fail);
    }

    /// <summary>The future's value as an observable: one <c>OnNext</c> then <c>OnCompleted</c>, or <c>OnError</c> with a <see cref="TaskFailedException"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="future">The future.</param>
    /// <returns>An observable that replays the outcome to every subscriber.</returns>
    public static IObservable<T> ToObservable<T>(this Future<T> future)
    {
        ArgumentNullException.ThrowIfNull(future);
        return Observable.FromAsync(cancel => future.GetAsync(cancel).AsTask());
    }

    /// <summary>Ends a pipeline in an observable of its output (through a port, so the pipeline keeps its backpressure).</summary>
    /// <typeparam name="TIn">What the pipeline takes in.</typeparam>
    /// <typeparam name="T">What it puts out.</typeparam>
    /// <param name="builder">The pipeline so far.</param>
    /// <param name="capacity">The output port's capacity; null for unbounded.</param>
    /// <returns>The pipeline, and its output as an observable that completes with it and errors with its failure.</returns>
    public static (Pipeline<TIn> Pipeline, IObservable<T> Output) ToObservable<TIn, T>(this PipelineBuilder<TIn, T> builder, int? capacity = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var (pipeline, output) = builder.ToPort(capacity);
        return (pipeline, output.ToObservable());
    }

    /// <summary>The Flow scheduler as an Rx scheduler: work on its threads, time from its <see cref="Scheduler.TimeProvider"/>.</summary>
    /// <param name="scheduler">The Flow scheduler.</param>
    /// <returns>The Rx scheduler.</returns>
    public static IScheduler ToRxScheduler(this Scheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return new FlowRxScheduler(scheduler);
    }

    /// <summary>Reports an observer's exception through <see cref="ObserverFailed"/>, or as an unhandled exception when nobody listens.</summary>
    internal static void ReportObserverFailure(object port, Exception exception)
    {
        EventHandler<ObserverFailedEventArgs>? handler = ObserverFailed;
        if (handler is not null)
        {
            try
            {
                handler(null, new ObserverFailedEventArgs(port, exception));
                return;
            }
            catch (Exception handlerFailure)
            {
                exception = handlerFailure;
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(static f => f.Throw(), ExceptionDispatchInfo.Capture(exception), preferLocal: false);
    }
}
