namespace Flow.Tests.Channels;

/// <summary>
/// <see cref="Select"/> and <see cref="SelectBuilder"/> (DESIGN.md, "Select"): one message per
/// select, closed ports are ready, ready ports beat Default and Timeout, fairness among ready ports.
/// </summary>
public sealed class SelectTests
{
    private static (Port<int>[] Ports, Chan<int>[] Chans) NewChans(int count)
    {
        var ports = new Port<int>[count];
        var chans = new Chan<int>[count];
        for (int i = 0; i < count; i++)
        {
            (ports[i], chans[i]) = Chan.New<int>();
        }

        return (ports, chans);
    }

    // ---------------------------------------------------------------------------------------
    // Exactly one message per select.

    [Fact]
    public void Recv_SeveralPortsReady_TakesExactlyOneMessage()
    {
        var (ports, chans) = NewChans(3);
        for (int i = 0; i < 3; i++)
        {
            chans[i].Send(10 + i);
        }

        var (index, value) = Select.Recv(ports);

        Assert.Equal(10 + index, value);
        Assert.Equal(0, ports[index].Count);
        Assert.Equal(2, ports.Sum(p => p.Count));
    }

    [Fact]
    public void Case_SeveralPortsReady_RunsExactlyOneActionAndTakesOneMessage()
    {
        var (ints, intChan) = Chan.New<int>();
        var (strings, stringChan) = Chan.New<string>();
        intChan.Send(1);
        stringChan.Send("one");
        var ran = new List<object>();

        Select.Case(ints, i => ran.Add(i))
            .Case(strings, s => ran.Add(s))
            .Run();

        object only = Assert.Single(ran);
        Assert.Equal(1, ints.Count + strings.Count);
        Assert.True(only is 1 ? ints.Count == 0 : strings.Count == 0);
    }

    [Fact]
    public async Task RecvAsync_WaitingOnSeveralPorts_WakesForTheOneThatGetsAMessage()
    {
        var (ports, chans) = NewChans(3);

        ValueTask<(int Index, int Value)> pending = Select.RecvAsync(ports);
        Assert.False(pending.IsCompleted);
        chans[2].Send(42);

        Assert.Equal((2, 42), await pending.Within());
    }

    [Fact]
    public async Task Recv_Blocking_WakesForTheOneThatGetsAMessage()
    {
        var (ports, chans) = NewChans(3);

        BlockingCall<(int, int)> select = Bounded.OnThread(() =>
        {
            using CancellationTokenSource deadline = Bounded.Deadline();
            return Select.Recv(ports, deadline.Token);
        });
        await select.WaitUntilBlocked();
        chans[1].Send(42);

        Assert.Equal((1, 42), await select.Task.Within());
    }

    [Fact]
    public async Task RunAsync_WaitingOnSeveralPorts_RunsTheCaseThatGetsAMessage()
    {
        var (ints, _) = Chan.New<int>();
        var (strings, stringChan) = Chan.New<string>();
        string? got = null;

        Task run = Select.Case(ints, _ => Assert.Fail("no int was sent"))
            .Case(strings, s => got = s)
            .RunAsync();
        Assert.False(run.IsCompleted);
        stringChan.Send("hi");

        await run.Within();
        Assert.Equal("hi", got);
    }

    [Fact]
    public async Task Recv_RendezvousSenderBlocked_TakesItsMessage()
    {
        var (ports, _) = NewChans(2);
        var (rendezvous, chan) = Chan.New<int>(0);
        Port<int>[] all = [ports[0], rendezvous, ports[1]];

        ValueTask<(int Index, int Value)> pending = Select.RecvAsync(all);
        ValueTask send = chan.SendAsync(9);

        Assert.Equal((1, 9), await pending.Within());
        await send.Within();
    }

    // ---------------------------------------------------------------------------------------
    // Closed ports are ready.

    [Fact]
    public async Task Recv_ClosedPort_ThrowsChannelClosedNamingItsIndex()
    {
        var (ports, chans) = NewChans(3);
        chans[1].Close();

        ChannelClosedException closed = Assert.Throws<ChannelClosedException>(() => Select.Recv(ports));
        Assert.Equal(1, closed.PortIndex);
        Assert.Null(closed.InnerException);
        Assert.IsAssignableFrom<FlowException>(closed);

        ChannelClosedException closedAsync = await Assert.ThrowsAsync<ChannelClosedException>(() => Select.RecvAsync(ports).Within());
        Assert.Equal(1, closedAsync.PortIndex);
    }

    [Fact]
    public void Recv_FailedPort_ThrowsChannelClosedWithTheCause()
    {
        var (ports, chans) = NewChans(2);
        var cause = new InvalidDataException("the sender died");
        chans[0].Fail(cause);

        ChannelClosedException closed = Assert.Throws<ChannelClosedException>(() => Select.Recv(ports));

        Assert.Equal(0, closed.PortIndex);
        Assert.Same(cause, closed.InnerException);
    }

    [Fact]
    public void Recv_ClosedPortWithMessages_DeliversThemBeforeReportingTheEnd()
    {
        var (ports, chans) = NewChans(2);
        chans[0].Send(1);
        chans[0].Send(2);
        chans[0].Close();

        Assert.Equal((0, 1), Select.Recv(ports));
        Assert.Equal((0, 2), Select.Recv(ports));
        Assert.Equal(0, Assert.Throws<ChannelClosedException>(() => Select.Recv(ports)).PortIndex);
    }

    [Fact]
    public async Task RecvAsync_PortClosedWhileWaiting_WakesWithChannelClosed()
    {
        var (ports, chans) = NewChans(3);

        ValueTask<(int Index, int Value)> pending = Select.RecvAsync(ports);
        Assert.False(pending.IsCompleted);
        chans[2].Close();

        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => pending.Within());
        Assert.Equal(2, closed.PortIndex);
    }

    [Fact]
    public async Task RecvAsync_PortDisposedWhileWaiting_WakesWithObjectDisposed()
    {
        var (ports, _) = NewChans(2);

        ValueTask<(int Index, int Value)> pending = Select.RecvAsync(ports);
        Assert.False(pending.IsCompleted);
        ports[0].Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.Within());
    }

    [Fact]
    public async Task Run_PortClosedWhileWaiting_RunsOnClosed()
    {
        var (ints, intChan) = Chan.New<int>();
        var (strings, _) = Chan.New<string>();
        bool closedRan = false;

        BlockingCall<bool> run = Bounded.OnThread(() =>
            Select.Case(ints, _ => Assert.Fail("no int was sent"), () => closedRan = true)
                .Case(strings, _ => Assert.Fail("no string was sent"))
                .Run());
        await run.WaitUntilBlocked();
        intChan.Close();

        await run.Task.Within();
        Assert.True(closedRan);
    }

    [Fact]
    public void Run_ClosedCaseWithOnClosed_RunsIt()
    {
        var (port, chan) = Chan.New<int>();
        chan.Close();
        int closedRuns = 0;

        Select.Case(port, _ => Assert.Fail("no message was sent"), () => closedRuns++).Run();

        Assert.Equal(1, closedRuns);
    }

    [Fact]
    public async Task Run_ClosedCaseWithoutOnClosed_ThrowsChannelClosed()
    {
        var (ints, _) = Chan.New<int>();
        var (strings, stringChan) = Chan.New<string>();
        var cause = new InvalidDataException("the sender died");
        stringChan.Fail(cause);

        SelectBuilder select = Select.Case(ints, _ => Assert.Fail("no int was sent"))
            .Case(strings, _ => Assert.Fail("no string was sent"));

        ChannelClosedException closed = Assert.Throws<ChannelClosedException>(select.Run);
        Assert.Equal(1, closed.PortIndex);
        Assert.Same(cause, closed.InnerException);
        closed = await Assert.ThrowsAsync<ChannelClosedException>(() => select.RunAsync().Within());
        Assert.Equal(1, closed.PortIndex);
    }

    [Fact]
    public void Run_ClosedPort_WinsOverDefault()
    {
        var (port, chan) = Chan.New<int>();
        chan.Close();
        string? ran = null;

        Select.Case(port, _ => ran = "message", () => ran = "closed").Default(() => ran = "default").Run();

        Assert.Equal("closed", ran);
    }

    [Fact]
    public void Run_ClosedPort_WinsOverTimeout()
    {
        var (port, chan) = Chan.New<int>();
        chan.Close();
        string? ran = null;

        Select.Case(port, _ => ran = "message", () => ran = "closed").Timeout(TimeSpan.FromHours(1), () => ran = "timeout").Run();

        Assert.Equal("closed", ran);
    }

    // ---------------------------------------------------------------------------------------
    // Default and Timeout.

    [Fact]
    public void Run_ReadyPort_WinsOverDefault()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(5);
        string? ran = null;

        Select.Case(port, m => ran = $"message {m}").Default(() => ran = "default").Run();

        Assert.Equal("message 5", ran);
        Assert.Equal(0, port.Count);
    }

    [Fact]
    public async Task Run_ReadyPort_WinsOverTimeout()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(5);
        string? ran = null;

        await Select.Case(port, m => ran = $"message {m}").Timeout(TimeSpan.FromHours(1), () => ran = "timeout").RunAsync().Within();

        Assert.Equal("message 5", ran);
    }

    [Fact]
    public void Run_NothingReady_RunsDefaultAndTakesNothing()
    {
        var (port, chan) = Chan.New<int>();
        string? ran = null;

        Select.Case(port, m => ran = $"message {m}").Default(() => ran = "default").Run();

        Assert.Equal("default", ran);
        chan.Send(1);
        Assert.True(port.TryRecv(out int message));
        Assert.Equal(1, message);
    }

    [Fact]
    public void Default_Alone_Runs()
    {
        bool ran = false;

        Select.Default(() => ran = true).Run();

        Assert.True(ran);
    }

    [Fact]
    public void Run_TimeoutZero_SeesAMessageSentBefore()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(5);
        string? ran = null;

        Select.Case(port, m => ran = $"message {m}").Timeout(TimeSpan.Zero, () => ran = "timeout").Run();

        Assert.Equal("message 5", ran);
    }

    [Fact]
    public void Run_TimeoutZero_NothingReady_RunsTimeoutAtOnce()
    {
        var (port, _) = Chan.New<int>();
        string? ran = null;

        Select.Case(port, m => ran = $"message {m}").Timeout(TimeSpan.Zero, () => ran = "timeout").Run();

        Assert.Equal("timeout", ran);
    }

    [Fact]
    public async Task RunAsync_TimeoutElapses_RunsTimeoutAndTakesNothing()
    {
        var (port, chan) = Chan.New<int>();
        string? ran = null;

        await Select.Case(port, m => ran = $"message {m}").Timeout(TimeSpan.FromMilliseconds(20), () => ran = "timeout").RunAsync().Within();

        Assert.Equal("timeout", ran);
        chan.Send(1);
        Assert.Equal(1, await port.RecvAsync().Within());
    }

    [Fact]
    public async Task Run_TimeoutElapses_RunsTimeout()
    {
        var (port, _) = Chan.New<int>();
        string? ran = null;

        await Bounded.OnThread(() =>
            Select.Case(port, m => ran = $"message {m}").Timeout(TimeSpan.FromMilliseconds(20), () => ran = "timeout").Run()).Task.Within();

        Assert.Equal("timeout", ran);
    }

    [Fact]
    public void Timeout_Alone_RunsAfterTheTime()
    {
        bool ran = false;

        Select.Timeout(TimeSpan.FromMilliseconds(1), () => ran = true).Run();

        Assert.True(ran);
    }

    // ---------------------------------------------------------------------------------------
    // The same port twice; many ports.

    [Fact]
    public void Recv_SamePortTwice_ReportsItsFirstIndexAndTakesOneMessage()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(1);
        chan.Send(2);

        Assert.Equal((0, 1), Select.Recv(port, port));
        Assert.Equal(1, port.Count);
    }

    [Fact]
    public void Case_SamePortTwice_CountsOnce()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(1);
        var ran = new List<string>();

        Select.Case(port, m => ran.Add($"first {m}"))
            .Case(port, m => ran.Add($"second {m}"))
            .Run();

        Assert.Equal(["first 1"], ran);
    }

    [Fact]
    public void Recv_SamePortListedTwice_IsNotChosenMoreOften()
    {
        // p listed twice beside q: counted once, p and q split the selects evenly (not 2:1).
        var (ports, chans) = NewChans(2);
        chans[0].Send(0);
        chans[1].Send(1);
        Port<int>[] listed = [ports[0], ports[1], ports[0]];
        int[] wins = new int[3];

        const int Selects = 10_000;
        for (int i = 0; i < Selects; i++)
        {
            var (index, value) = Select.Recv(listed);
            wins[index]++;
            chans[value].Send(value);
        }

        Assert.Equal(0, wins[2]);
        Assert.InRange(wins[0], Selects * 0.478, Selects * 0.522);
    }

    [Fact]
    public void Recv_SeventyPorts_FindsTheMessageOnPort63()
    {
        var (ports, chans) = NewChans(70);
        chans[63].Send(63);

        Assert.Equal((63, 63), Select.Recv(ports));
    }

    [Fact]
    public async Task RecvAsync_SeventyPortsWaiting_WakesForPort63()
    {
        var (ports, chans) = NewChans(70);

        ValueTask<(int Index, int Value)> pending = Select.RecvAsync(ports);
        Assert.False(pending.IsCompleted);
        chans[63].Send(63);

        Assert.Equal((63, 63), await pending.Within());
    }

    [Fact]
    public async Task RunAsync_SeventyCasesWaiting_RunsCase63()
    {
        var (ports, chans) = NewChans(70);
        int got = -1;
        SelectBuilder select = Select.Case(ports[0], m => got = m);
        for (int i = 1; i < ports.Length; i++)
        {
            select.Case(ports[i], m => got = m);
        }

        Task run = select.RunAsync();
        Assert.False(run.IsCompleted);
        chans[63].Send(63);

        await run.Within();
        Assert.Equal(63, got);
    }

    // ---------------------------------------------------------------------------------------
    // Fairness.

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Recv_AlwaysReadyPorts_EachWinsAFairShare(int k)
    {
        var (ports, chans) = NewChans(k);
        for (int i = 0; i < k; i++)
        {
            chans[i].Send(i);
        }

        const int Selects = 10_000;
        int[] wins = new int[k];
        for (int n = 0; n < Selects; n++)
        {
            var (index, value) = Select.Recv(ports);
            Assert.Equal(index, value);
            wins[index]++;
            chans[index].Send(index);
        }

        AssertFair(wins, Selects);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Case_AlwaysReadyPorts_EachWinsAFairShare(int k)
    {
        var (ports, chans) = NewChans(k);
        int[] wins = new int[k];
        int last = -1;
        SelectBuilder select = Select.Case(ports[0], m => last = m);
        for (int i = 0; i < k; i++)
        {
            select.Case(ports[i], m => last = m);
            chans[i].Send(i);
        }

        const int Selects = 10_000;
        for (int n = 0; n < Selects; n++)
        {
            select.Run();
            wins[last]++;
            chans[last].Send(last);
        }

        AssertFair(wins, Selects);
    }

    [Fact]
    public async Task RecvAsync_AlwaysReadyPorts_EachWinsAFairShare()
    {
        const int K = 2;
        var (ports, chans) = NewChans(K);
        chans[0].Send(0);
        chans[1].Send(1);

        const int Selects = 10_000;
        int[] wins = new int[K];
        for (int n = 0; n < Selects; n++)
        {
            var (index, _) = await Select.RecvAsync(ports).Within();
            wins[index]++;
            chans[index].Send(index);
        }

        AssertFair(wins, Selects);
    }

    private static void AssertFair(int[] wins, int selects)
    {
        int k = wins.Length;
        Assert.Equal(selects, wins.Sum());

        // crossbeam's bound: no ready port gets less than half its share.
        Assert.All(wins, w => Assert.True(w >= selects / (2 * k), $"A port won {w} of {selects} selects among {k}: [{string.Join(", ", wins)}]."));
        if (k == 2)
        {
            // Go's TestSelectFairness bound (DESIGN.md): within 2.2% of an even split.
            Assert.All(wins, w => Assert.InRange(w, selects * 0.478, selects * 0.522));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Cancellation, misuse, arguments.

    [Fact]
    public async Task RecvAsync_Cancelled_TookNothing()
    {
        var (ports, chans) = NewChans(2);
        using var cts = new CancellationTokenSource();

        ValueTask<(int Index, int Value)> pending = Select.RecvAsync(ports, cts.Token);
        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.Within());

        chans[1].Send(7);
        Assert.Equal((1, 7), await Select.RecvAsync(ports).Within());
    }

    [Fact]
    public async Task Recv_Cancelled_TookNothing()
    {
        var (ports, chans) = NewChans(2);
        using var cts = new CancellationTokenSource();

        BlockingCall<(int, int)> select = Bounded.OnThread(() => Select.Recv(ports, cts.Token));
        await select.WaitUntilBlocked();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => select.Task.Within());

        chans[0].Send(7);
        Assert.Equal(7, await ports[0].RecvAsync().Within());
    }

    [Fact]
    public async Task RunAsync_Cancelled_RanNothingAndTookNothing()
    {
        var (port, chan) = Chan.New<int>();
        using var cts = new CancellationTokenSource();
        bool ran = false;

        Task run = Select.Case(port, _ => ran = true).RunAsync(cts.Token);
        Assert.False(run.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Within());

        chan.Send(1);
        Assert.False(ran);
        Assert.Equal(1, await port.RecvAsync().Within());
    }

    [Fact]
    public async Task Recv_PortWithAnotherReceiverWaiting_ThrowsInvalidOperationAndTheReceiverGoesOn()
    {
        var (ports, chans) = NewChans(2);
        ValueTask<int> receiver = ports[1].RecvAsync();

        Assert.Throws<InvalidOperationException>(() => Select.Recv(ports));
        Assert.Throws<InvalidOperationException>(() => Select.Case(ports[0], _ => { }).Case(ports[1], _ => { }).Run());

        chans[1].Send(1);
        Assert.Equal(1, await receiver.Within());

        // The select released the port it had entered before failing.
        chans[0].Send(0);
        Assert.Equal(0, await ports[0].RecvAsync().Within());
    }

    [Fact]
    public async Task Recv_WhileASelectWaits_OnOneOfItsPorts_ThrowsInvalidOperation()
    {
        var (ports, chans) = NewChans(2);
        ValueTask<(int Index, int Value)> select = Select.RecvAsync(ports);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await ports[0].RecvAsync());

        chans[0].Send(3);
        Assert.Equal((0, 3), await select.Within());
    }

    [Fact]
    public void Recv_ArgumentChecks()
    {
        var (port, _) = Chan.New<int>();

        Assert.Throws<ArgumentException>(() => Select.Recv<int>());
        Assert.Throws<ArgumentException>(() => Select.Recv(Array.Empty<Port<int>>(), CancellationToken.None));
        Assert.Throws<ArgumentNullException>(() => Select.Recv((Port<int>[])null!));
        Assert.Throws<ArgumentNullException>(() => Select.Recv(port, null!));
    }

    [Fact]
    public async Task RecvAsync_ArgumentChecks()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Select.RecvAsync(Array.Empty<Port<int>>()));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Select.RecvAsync<int>(null!));
    }

    [Fact]
    public void Builder_ArgumentChecks()
    {
        var (port, _) = Chan.New<int>();

        Assert.Throws<ArgumentNullException>(() => Select.Case<int>(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => Select.Case(port, null!));
        Assert.Throws<ArgumentNullException>(() => Select.Default(null!));
        Assert.Throws<ArgumentNullException>(() => Select.Timeout(TimeSpan.Zero, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => Select.Timeout(TimeSpan.FromSeconds(-2), () => { }));
        Assert.Throws<InvalidOperationException>(() => Select.Default(() => { }).Timeout(TimeSpan.Zero, () => { }));
        Assert.Throws<InvalidOperationException>(() => Select.Timeout(TimeSpan.Zero, () => { }).Default(() => { }));
    }
}
