using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Flow.Reactive;

/// <summary>
/// A Flow <see cref="Scheduler"/> as an Rx scheduler: work runs on the Flow scheduler's task
/// scheduler (so a bounded-parallelism scheduler bounds Rx work too), and time — <c>Now</c> and
/// every delay — comes from its <see cref="Scheduler.TimeProvider"/>, so a fake clock drives Rx
/// operators in tests.
/// </summary>
internal sealed class FlowRxScheduler(Scheduler scheduler) : LocalScheduler
{
    public override DateTimeOffset Now => scheduler.TimeProvider.GetUtcNow();

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
}
