using Flow.Reactive;

namespace Flow.Tests.Reactive;

/// <summary>
/// An observer of <c>port.ToObservable()</c> that throws: the subscription ends, the port keeps its
/// remaining messages for the next receiver, and the exception itself reaches
/// <see cref="ReactiveExtensions.ObserverFailed"/> (with no handler it would be an unhandled
/// exception, as in Rx; these tests always listen, so the test host never sees one).
/// </summary>
/// <remarks>The event is static: each test only looks at reports about its own port.</remarks>
public sealed class ObserverFailureTests : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ObserverFailedEventArgs> _reports = [];

    public ObserverFailureTests() => ReactiveExtensions.ObserverFailed += OnObserverFailed;

    public void Dispose() => ReactiveExtensions.ObserverFailed -= OnObserverFailed;

    [Fact]
    public async Task OnNextThrows_SubscriptionEnds_TheExceptionIsReported_TheRestStaysInThePort()
    {
        var (port, chan) = Chan.New<int>();
        var boom = new FormatException("observer bug");
        var recorder = new Recorder<int>(m =>
        {
            if (m == 2)
            {
                throw boom;
            }
        });
        for (int i = 1; i <= 5; i++)
        {
            chan.Send(i);
        }

        using IDisposable subscription = port.ToObservable().Subscribe(recorder);
        ObserverFailedEventArgs report = await ReportFor(port);

        Assert.Same(boom, report.Exception);
        Assert.Equal([1, 2], recorder.Values);
        Assert.False(recorder.Ended.IsCompleted, "no notification after the observer threw");

        // The port is free at once, with the messages the failed subscription did not take.
        Assert.Equal(3, await port.RecvAsync().Within());
        chan.Close();
        var next = new Recorder<int>();
        using IDisposable again = port.ToObservable().Subscribe(next);
        await next.WaitForEnd();
        Assert.Equal([4, 5], next.Values);
        Assert.True(next.IsCompleted);
        Assert.Equal([1, 2], recorder.Values);
    }

    [Fact]
    public async Task OnCompletedThrows_IsReported()
    {
        var (port, chan) = Chan.New<int>();
        var boom = new ArithmeticException("completion handler bug");
        chan.Close();

        using IDisposable subscription = port.ToObservable().Subscribe(_ => { }, () => throw boom);

        Assert.Same(boom, (await ReportFor(port)).Exception);
    }

    [Fact]
    public async Task OnErrorThrows_IsReported()
    {
        var (port, chan) = Chan.New<int>();
        var cause = new TimeoutException("sender failed");
        var boom = new ArithmeticException("error handler bug");
        chan.Fail(cause);
        Exception? seen = null;

        using IDisposable subscription = port.ToObservable().Subscribe(
            _ => { },
            e =>
            {
                seen = e;
                throw boom;
            });

        Assert.Same(boom, (await ReportFor(port)).Exception);
        Assert.Same(cause, seen);
    }

    private void OnObserverFailed(object? sender, ObserverFailedEventArgs e)
    {
        lock (_gate)
        {
            _reports.Add(e);
        }
    }

    private async Task<ObserverFailedEventArgs> ReportFor(object port)
    {
        ObserverFailedEventArgs? report = null;
        await Bounded.Eventually(
            () =>
            {
                lock (_gate)
                {
                    report = _reports.Find(r => ReferenceEquals(r.Port, port));
                }

                return report is not null;
            },
            "the observer's failure was reported");
        return report!;
    }
}
