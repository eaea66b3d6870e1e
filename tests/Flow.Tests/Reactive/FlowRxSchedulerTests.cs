using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using Flow.Reactive;
using Microsoft.Extensions.Time.Testing;

namespace Flow.Tests.Reactive;

/// <summary>
/// <c>scheduler.ToRxScheduler()</c>: Rx work runs on the Flow scheduler's threads, and Rx time —
/// <c>Now</c>, relative and absolute due times, the stopwatches Rx's operators measure with — comes
/// from its <see cref="TimeProvider"/>, so a <see cref="FakeTimeProvider"/> drives <c>Timer</c>,
/// <c>Delay</c> and <c>Interval</c> with no real waiting.
/// </summary>
/// <remarks>
/// Each test runs on <c>Scheduler.Dedicated(1)</c>: one thread, first in first out. To prove that
/// timed work did <em>not</em> run, a test queues a marker after advancing the clock and waits for
/// it; anything the clock had released would have run before the marker.
/// </remarks>
public sealed class FlowRxSchedulerTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(s_start);
    private readonly Scheduler _lane = Scheduler.Dedicated(1, "rx-lane");
    private readonly IScheduler _rx;

    public FlowRxSchedulerTests() => _rx = _lane.WithTimeProvider(_clock).ToRxScheduler();

    public void Dispose() => _lane.Dispose();

    [Fact]
    public void ToRxScheduler_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ((Scheduler)null!).ToRxScheduler());
    }

    [Fact]
    public void Now_IsTheTimeProvidersTime()
    {
        Assert.Equal(s_start, _rx.Now);

        _clock.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(s_start.AddMinutes(3), _rx.Now);
    }

    [Fact]
    public async Task Schedule_RunsOnTheFlowSchedulersThreads()
    {
        string?[] names = await Observable.Range(0, 3, _rx).Select(_ => Thread.CurrentThread.Name).ToArray().ToTask().Within();

        Assert.Equal(3, names.Length);
        Assert.All(names, name => Assert.Equal("rx-lane-0", name));
    }

    [Fact]
    public async Task Timer_Relative_FiresExactlyWhenTheFakeClockReachesTheDueTime()
    {
        var recorder = new Recorder<long>();
        using IDisposable subscription = Observable.Timer(TimeSpan.FromSeconds(10), _rx).Subscribe(recorder);

        _clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        await Drained();
        Assert.Equal(0, recorder.Count);

        _clock.Advance(TimeSpan.FromTicks(1));
        await recorder.WaitForEnd();
        Assert.Equal([0L], recorder.Values);
        Assert.True(recorder.IsCompleted);
        Assert.Equal("rx-lane-0", Assert.Single(recorder.ThreadNames));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(3600)]
    public async Task Timer_Absolute_FiresWhenTheFakeClockReachesTheDueTime(int seconds)
    {
        // Rx's LocalScheduler keeps absolute due times beyond 10 s on a real timer of its own;
        // the Flow scheduler must take them from its clock instead.
        var recorder = new Recorder<long>();
        using IDisposable subscription = Observable.Timer(s_start.AddSeconds(seconds), _rx).Subscribe(recorder);

        _clock.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
        await Drained();
        Assert.Equal(0, recorder.Count);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await recorder.WaitForEnd();
        Assert.Equal([0L], recorder.Values);
    }

    [Fact]
    public async Task Delay_ShiftsEachValueByTheDelayOnTheFakeClock()
    {
        var subject = new Subject<int>();
        var recorder = new Recorder<int>();
        using IDisposable subscription = subject.Delay(TimeSpan.FromSeconds(2), _rx).Subscribe(recorder);

        subject.OnNext(1);
        _clock.Advance(TimeSpan.FromSeconds(1));
        subject.OnNext(2);
        subject.OnCompleted();
        await Drained();
        Assert.Equal(0, recorder.Count);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await recorder.WaitForCount(1);
        await Drained();
        Assert.Equal([1], recorder.Values);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await recorder.WaitForEnd();
        Assert.Equal([1, 2], recorder.Values);
        Assert.True(recorder.IsCompleted);
    }

    [Fact]
    public async Task Interval_TicksOncePerFakePeriod()
    {
        var recorder = new Recorder<long>();
        using IDisposable subscription = Observable.Interval(TimeSpan.FromSeconds(1), _rx).Subscribe(recorder);

        for (int tick = 1; tick <= 5; tick++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await recorder.WaitForCount(tick);
            await Drained();
            Assert.Equal(tick, recorder.Count);
        }

        Assert.Equal([0L, 1, 2, 3, 4], recorder.Values);
    }

    [Fact]
    public async Task Schedule_DisposedBeforeItIsDue_NeverRuns()
    {
        bool ran = false;
        IDisposable work = _rx.Schedule(TimeSpan.FromSeconds(1), () => ran = true);

        work.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(5));
        await Drained();

        Assert.False(ran);
    }

    [Fact]
    public async Task Schedule_DueNowOrInThePast_RunsWithoutAdvancingTheClock()
    {
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _rx.Schedule(TimeSpan.FromSeconds(-1), () => _rx.Schedule(s_start.AddDays(-1), () => ran.SetResult()));

        await ran.Task.Within();
        Assert.Equal(s_start, _rx.Now);
    }

    /// <summary>Waits until everything queued on the lane so far has run.</summary>
    private Task Drained()
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _rx.Schedule(() => marker.SetResult());
        return marker.Task.Within();
    }
}
