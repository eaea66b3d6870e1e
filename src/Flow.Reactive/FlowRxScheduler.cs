using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Flow.Reactive;

/// <summary>
/// A Flow <see cref="Scheduler"/> as an Rx scheduler: work runs on the Flow scheduler's task
/// scheduler (so a bounded-parallelism scheduler bounds Rx work too), and time — <c>Now</c>, every
/// delay, every absolute due time and every stopwatch — comes from its
/// <see cref="Scheduler.TimeProvider"/>, so a fake clock drives Rx operators in tests.
/// </summary>
/// <remarks>
/// <see cref="LocalScheduler"/> measures some time on its own: its stopwatches (which <c>Delay</c>,
/// <c>Interval</c> and periodic <c>Timer</c> use to correct drift) are real ones, and it parks
/// absolute due times more than 10 s away on a real timer of its own. Both are overridden here, so
/// no Rx time escapes the provider.
/// </remarks>
internal sealed class FlowRxScheduler(Scheduler scheduler) : LocalScheduler
{
    public override DateTimeOffset Now => scheduler.TimeProvider.GetUtcNow();

    public override IStopwatch StartStopwatch() => new ProviderStopwatch(scheduler.TimeProvider);

    public override IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Schedule(state, dueTime - Now, action);
    }

    public override IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var work = new SingleAssignmentDisposable();
        var run = () =>
        {
            if (!work.IsDisposed)
            {
                work.Disposable = action(this, state);
            }
        };

        if (dueTime <= TimeSpan.Zero)
        {
            Task.Factory.StartNew(run, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler.AsTaskScheduler());
            return work;
        }

        ITimer timer = scheduler.TimeProvider.CreateTimer(
            static s => Task.Factory.StartNew((Action)((object[])s!)[0], CancellationToken.None, TaskCreationOptions.DenyChildAttach, (TaskScheduler)((object[])s!)[1]),
            new object[] { run, scheduler.AsTaskScheduler() },
            dueTime,
            Timeout.InfiniteTimeSpan);
        return new CompositeDisposable(work, timer);
    }

    /// <summary>A stopwatch on the provider's timestamps, which a fake clock advances.</summary>
    private sealed class ProviderStopwatch(TimeProvider clock) : IStopwatch
    {
        private readonly long _start = clock.GetTimestamp();

        public TimeSpan Elapsed => clock.GetElapsedTime(_start);
    }
}
