using static Flow.Tests.Futures.FuturesBounded;

namespace Flow.Tests.Futures;

/// <summary>
/// A future is computed once and read as often as anyone likes: the first <c>Get</c> waits, later
/// ones return the cached value; a failed computation makes every read throw
/// <see cref="TaskFailedException"/> carrying the original exception.
/// </summary>
public class FutureTests
{
    [Fact]
    public async Task Spawn_SyncBody_GetReturnsItsValue()
    {
        Future<ulong> fib = Future.Spawn(() => Fib(50));

        Assert.Equal(12_586_269_025UL, await fib.Within());
        Assert.Equal(12_586_269_025UL, fib.Get());
    }

    [Fact]
    public async Task Spawn_AsyncBody_GetAsyncReturnsItsValue()
    {
        Future<string> future = Future.Spawn(async () =>
        {
            await Task.Yield();
            return "computed";
        });

        Assert.Equal("computed", await future.GetAsync().Within());
    }

    [Fact]
    public async Task Spawn_WithOptions_RunsInANamedFlowTask()
    {
        Future<string?> name = Future.Spawn(() => global::Flow.Tasks.Current?.Name, new SpawnOptions { Name = "fib-task" });
        Future<string?> asyncName = Future.Spawn(
            async () =>
            {
                await Task.Yield();
                return global::Flow.Tasks.Current?.Name;
            },
            new SpawnOptions { Name = "async-fib-task" });

        Assert.Equal("fib-task", await name.Within());
        Assert.Equal("async-fib-task", await asyncName.Within());
    }

    [Fact]
    public async Task Spawn_OnABoundedScheduler_ComputesOneAtATime()
    {
        using Scheduler one = Scheduler.WithParallelism(1);
        int running = 0;
        bool overlapped = false;
        Future<int>[] futures =
        [
            .. Enumerable.Range(0, 10).Select(i => Future.Spawn(
                () =>
                {
                    overlapped |= Interlocked.Increment(ref running) != 1;
                    Thread.SpinWait(1000);
                    Interlocked.Decrement(ref running);
                    return i * i;
                },
                new SpawnOptions { Scheduler = one })),
        ];

        int[] squares = await Task.WhenAll(futures.Select(f => f.Within()));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * i), squares);
        Assert.False(overlapped);
    }

    [Fact]
    public void Spawn_NullBody_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => Future.Spawn((Func<int>)null!));
        Assert.Throws<ArgumentNullException>(() => Future.Spawn((Func<Task<int>>)null!));
    }

    [Fact]
    public async Task Get_CalledRepeatedly_ReturnsTheSameCachedValueAndRunsTheBodyOnce()
    {
        int runs = 0;
        Future<object> future = Future.Spawn(() =>
        {
            Interlocked.Increment(ref runs);
            return new object();
        });

        object first = await future.Within();

        for (int i = 0; i < 100; i++)
        {
            Assert.Same(first, future.Get());
            Assert.Same(first, await future.GetAsync());
            Assert.Same(first, await future);
        }

        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Get_WhilePending_BlocksUntilTheValueIsSet()
    {
        var (future, promise) = Future.New<int>();
        Thread? reader = null;
        Task<int> get = OnOwnThread(() =>
        {
            reader = Thread.CurrentThread;
            return future.Get();
        });
        await UntilAsync(() => reader is not null, "the reader started");
        await UntilBlockedAsync(reader!);

        Assert.False(get.IsCompleted);
        Assert.False(future.IsReady);
        promise.Complete(7);

        Assert.Equal(7, await get.Within());
    }

    [Fact]
    public async Task Get_FromManyThreadsWhilePending_AllGetTheSameValue()
    {
        var (future, promise) = Future.New<object>();
        Task<object>[] readers =
        [
            .. Enumerable.Range(0, 4).Select(_ => OnOwnThread(future.Get)),
            .. Enumerable.Range(0, 4).Select(_ => future.GetAsync().AsTask()),
            .. Enumerable.Range(0, 4).Select(async _ => await future),
        ];
        var value = new object();

        promise.Complete(value);

        foreach (object got in await Task.WhenAll(readers).Within())
        {
            Assert.Same(value, got);
        }
    }

    [Fact]
    public void IsReady_IsFailed_TryGet_FollowTheFuturesLife()
    {
        var (future, promise) = Future.New<int>();
        Assert.False(future.IsReady);
        Assert.False(future.IsFailed);
        Assert.False(future.TryGet(out _));

        promise.Complete(3);

        Assert.True(future.IsReady);
        Assert.False(future.IsFailed);
        Assert.True(future.TryGet(out int value));
        Assert.Equal(3, value);
        Assert.True(future.TryGet(out value));
        Assert.Equal(3, value);
    }

    [Fact]
    public void IsReady_IsFailed_TryGet_AfterFailure()
    {
        var (future, promise) = Future.New<int>();

        promise.Fail(new InvalidOperationException("no value"));

        Assert.True(future.IsReady);
        Assert.True(future.IsFailed);
        Assert.False(future.TryGet(out _));
    }

    [Fact]
    public async Task GetAsync_WhenReady_CompletesSynchronously()
    {
        ValueTask<int> get = Future.FromValue(5).GetAsync();

        Assert.True(get.IsCompletedSuccessfully);
        Assert.Equal(5, await get);
    }

    [Fact]
    public async Task GetAsync_WhilePending_CompletesWhenThePromiseIs()
    {
        var (future, promise) = Future.New<string>();
        ValueTask<string> get = future.GetAsync();
        Assert.False(get.IsCompleted);

        promise.Complete("later");

        Assert.Equal("later", await get.Within());
    }

    [Fact]
    public async Task GetAsync_Cancelled_ThrowsOperationCanceled_AndTheFutureStillCompletes()
    {
        var (future, promise) = Future.New<int>();
        using var cts = new CancellationTokenSource();
        ValueTask<int> get = future.GetAsync(cts.Token);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get.Within());
        Assert.False(future.IsReady);
        promise.Complete(9);
        Assert.Equal(9, await future.GetAsync().Within());
        Assert.Equal(9, future.Get());
    }

    [Fact]
    public async Task GetAsync_WithAlreadyCancelledTokenOnReadyFuture_ReturnsTheValue()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Equal(1, await Future.FromValue(1).GetAsync(cts.Token).Within());
    }

    [Fact]
    public async Task Await_PendingFuture_ResumesWithTheValue()
    {
        var (future, promise) = Future.New<int>();
        Task<int> awaiting = AwaitIt(future);
        Assert.False(awaiting.IsCompleted);

        promise.Complete(11);

        Assert.Equal(11, await awaiting.Within());
    }

    [Fact]
    public async Task Await_ReadyFuture_ReturnsTheValue()
    {
        Assert.Equal("ready", await Future.FromValue("ready"));
        Assert.Equal("ready", await AwaitIt(Future.FromValue("ready")).Within());
    }

    [Fact]
    public async Task Spawn_BodyThrows_EveryReadThrowsTaskFailedWithTheOriginalException()
    {
        var boom = new InvalidOperationException("boom");
        Future<int> future = Future.Spawn(() => boom.Throw<int>());

        TaskFailedException viaGetAsync = await Assert.ThrowsAsync<TaskFailedException>(() => future.Within());

        AssertCarries(boom, viaGetAsync);
        AssertCarries(boom, Assert.Throws<TaskFailedException>(() => future.Get()));
        AssertCarries(boom, Assert.Throws<TaskFailedException>(() => future.Get()));
        AssertCarries(boom, await Assert.ThrowsAsync<TaskFailedException>(async () => await future.GetAsync()));
        AssertCarries(boom, await Assert.ThrowsAsync<TaskFailedException>(async () => await future));
        Assert.True(future.IsFailed);
    }

    [Fact]
    public async Task Spawn_AsyncBodyThrowsAfterAwait_EveryReadThrowsTaskFailedWithTheOriginalException()
    {
        var boom = new ArithmeticException("async boom");
        Future<int> future = Future.Spawn(async () =>
        {
            await Task.Yield();
            return boom.Throw<int>();
        });

        AssertCarries(boom, await Assert.ThrowsAsync<TaskFailedException>(() => future.Within()));
        AssertCarries(boom, Assert.Throws<TaskFailedException>(() => future.Get()));
        AssertCarries(boom, await Assert.ThrowsAsync<TaskFailedException>(async () => await future));
    }

    [Fact]
    public async Task Await_PendingFutureThatFails_ThrowsTaskFailed()
    {
        var (future, promise) = Future.New<int>();
        Task<int> awaiting = AwaitIt(future);
        var boom = new InvalidOperationException("failed later");

        promise.Fail(boom);

        AssertCarries(boom, await Assert.ThrowsAsync<TaskFailedException>(() => awaiting.Within()));
    }

    [Fact]
    public async Task Get_BlockedWhenTheFutureFails_ThrowsTaskFailed()
    {
        var (future, promise) = Future.New<int>();
        Thread? reader = null;
        Task<int> get = OnOwnThread(() =>
        {
            reader = Thread.CurrentThread;
            return future.Get();
        });
        await UntilAsync(() => reader is not null, "the reader started");
        await UntilBlockedAsync(reader!);
        var boom = new InvalidOperationException("failed while read");

        promise.Fail(boom);

        AssertCarries(boom, await Assert.ThrowsAsync<TaskFailedException>(() => get.Within()));
    }

    [Fact]
    public void FromValue_IsReadyAtOnce()
    {
        var value = new object();
        Future<object> future = Future.FromValue(value);

        Assert.True(future.IsReady);
        Assert.False(future.IsFailed);
        Assert.Same(value, future.Get());
        Assert.True(future.TryGet(out object? got));
        Assert.Same(value, got);
    }

    [Fact]
    public void FromValue_Null_IsAValue()
    {
        Future<string?> future = Future.FromValue<string?>(null);

        Assert.True(future.IsReady);
        Assert.Null(future.Get());
    }

    [Fact]
    public async Task FromPort_MessageAlreadySent_IsTheFirstMessage_AndTheRestStayInThePort()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(1);
        chan.Send(2);

        Future<int> first = Future.FromPort(port);

        Assert.Equal(1, await first.Within());
        Assert.Equal(2, await port.RecvAsync().Within());
        chan.Close();
    }

    [Fact]
    public async Task FromPort_MessageSentLater_CompletesTheFuture()
    {
        var (port, chan) = Chan.New<string>();
        Future<string> future = Future.FromPort(port);
        Assert.False(future.IsReady);

        chan.Send("hello");

        Assert.Equal("hello", await future.Within());
        Assert.Equal("hello", future.Get());
    }

    [Fact]
    public async Task FromPort_ClosedWithoutAMessage_FailsWithChannelClosed()
    {
        var (port, chan) = Chan.New<int>();
        Future<int> future = Future.FromPort(port);

        chan.Close();

        TaskFailedException failed = await Assert.ThrowsAsync<TaskFailedException>(() => future.Within());
        Assert.IsType<ChannelClosedException>(failed.InnerException);
        Assert.Same(failed.InnerException, failed.Failure!.Exception);
        Assert.True(future.IsFailed);
        Assert.IsType<ChannelClosedException>(Assert.Throws<TaskFailedException>(() => future.Get()).InnerException);
    }

    [Fact]
    public async Task FromPort_SenderFailedWithoutAMessage_FailsWithChannelClosedCarryingTheCause()
    {
        var (port, chan) = Chan.New<int>();
        var cause = new InvalidOperationException("sender died");

        chan.Fail(cause);
        Future<int> future = Future.FromPort(port);

        TaskFailedException failed = await Assert.ThrowsAsync<TaskFailedException>(() => future.Within());
        ChannelClosedException closed = Assert.IsType<ChannelClosedException>(failed.InnerException);
        Assert.Same(cause, closed.InnerException);
    }

    [Fact]
    public void FromPort_Null_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => Future.FromPort<int>(null!));

    [Fact]
    public async Task ToString_NamesTheState()
    {
        var (future, promise) = Future.New<int>();
        Assert.Contains("pending", future.ToString(), StringComparison.Ordinal);

        promise.Complete(42);

        Assert.Contains("42", (await future.Within()).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("42", future.ToString(), StringComparison.Ordinal);
    }

    internal static void AssertCarries(Exception original, TaskFailedException failed)
    {
        Assert.Same(original, failed.InnerException);
        Assert.NotNull(failed.Failure);
        Assert.Same(original, failed.Failure.Exception);
    }

    private static async Task<T> AwaitIt<T>(Future<T> future) => await future;

    private static ulong Fib(ulong n)
    {
        ulong a = 0, b = 1;
        for (ulong i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return a;
    }
}

/// <summary>Throwing as an expression, so a body lambda keeps its result type.</summary>
internal static class ThrowExtensions
{
    public static T Throw<T>(this Exception exception) => throw exception;
}
