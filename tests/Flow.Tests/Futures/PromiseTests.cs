using static Flow.Tests.Futures.FuturesBounded;

namespace Flow.Tests.Futures;

/// <summary>A promise completes its future once, with a value or a failure; any copy of it may, once.</summary>
public class PromiseTests
{
    [Fact]
    public async Task New_ThePromiseCompletesItsFuture()
    {
        var (future, promise) = Future.New<int>();

        Assert.Same(future, promise.Future);
        promise.Complete(1);

        Assert.Equal(1, await future.Within());
    }

    [Fact]
    public void Complete_Twice_ThrowsInvalidOperation_AndKeepsTheFirstValue()
    {
        var (future, promise) = Future.New<int>();
        promise.Complete(1);

        Assert.Throws<InvalidOperationException>(() => promise.Complete(2));
        Assert.Equal(1, future.Get());
    }

    [Fact]
    public void Fail_AfterComplete_ThrowsInvalidOperation_AndKeepsTheValue()
    {
        var (future, promise) = Future.New<int>();
        promise.Complete(1);

        Assert.Throws<InvalidOperationException>(() => promise.Fail(new InvalidOperationException("late")));
        Assert.False(future.IsFailed);
        Assert.Equal(1, future.Get());
    }

    [Fact]
    public void Complete_AfterFail_ThrowsInvalidOperation_AndKeepsTheFailure()
    {
        var (future, promise) = Future.New<int>();
        var boom = new InvalidOperationException("first");
        promise.Fail(boom);

        Assert.Throws<InvalidOperationException>(() => promise.Complete(1));
        Assert.Throws<InvalidOperationException>(() => promise.Fail(new InvalidOperationException("second")));
        FutureTests.AssertCarries(boom, Assert.Throws<TaskFailedException>(() => future.Get()));
    }

    [Fact]
    public void Fail_GetThrowsTaskFailedWithTheException_EveryTime()
    {
        var (future, promise) = Future.New<string>();
        var boom = new ArithmeticException("no result");

        promise.Fail(boom);

        for (int i = 0; i < 3; i++)
        {
            FutureTests.AssertCarries(boom, Assert.Throws<TaskFailedException>(() => future.Get()));
        }
    }

    [Fact]
    public void TryComplete_FirstWins_LaterOnesReturnFalse()
    {
        var (future, promise) = Future.New<int>();

        Assert.True(promise.TryComplete(1));
        Assert.False(promise.TryComplete(2));
        Assert.False(promise.TryFail(new InvalidOperationException("late")));
        Assert.Equal(1, future.Get());
    }

    [Fact]
    public void TryFail_FirstWins_LaterOnesReturnFalse()
    {
        var (future, promise) = Future.New<int>();
        var boom = new InvalidOperationException("first");

        Assert.True(promise.TryFail(boom));
        Assert.False(promise.TryFail(new InvalidOperationException("second")));
        Assert.False(promise.TryComplete(1));
        FutureTests.AssertCarries(boom, Assert.Throws<TaskFailedException>(() => future.Get()));
    }

    [Fact]
    public void Fail_Null_ThrowsArgumentNull_AndLeavesThePromiseUsable()
    {
        var (future, promise) = Future.New<int>();

        Assert.Throws<ArgumentNullException>(() => promise.Fail(null!));
        Assert.Throws<ArgumentNullException>(() => promise.TryFail(null!));
        Assert.False(future.IsReady);
        promise.Complete(1);
        Assert.Equal(1, future.Get());
    }

    [Fact]
    public void Default_EveryMemberThrowsInvalidOperation()
    {
        Promise<int> promise = default;

        Assert.Throws<InvalidOperationException>(() => promise.Future);
        Assert.Throws<InvalidOperationException>(() => promise.Complete(1));
        Assert.Throws<InvalidOperationException>(() => promise.Fail(new InvalidOperationException("x")));
        Assert.Throws<InvalidOperationException>(() => promise.TryComplete(1));
        Assert.Throws<InvalidOperationException>(() => promise.TryFail(new InvalidOperationException("x")));
    }

    [Fact]
    public void Copies_CompleteTheSameFuture_Once()
    {
        var (future, promise) = Future.New<int>();
        Promise<int> copy = promise;

        Assert.True(copy == promise);
        Assert.Equal(promise.GetHashCode(), copy.GetHashCode());
        Assert.True(copy.Equals((object)promise));
        Assert.False(promise == Future.New<int>().Promise);
        Assert.True(promise != default);
        copy.Complete(5);
        Assert.Throws<InvalidOperationException>(() => promise.Complete(6));
        Assert.Equal(5, future.Get());
    }

    [Fact]
    public async Task TryComplete_RacingWriters_ExactlyOneWins_AndEveryReaderSeesItsValue()
    {
        const int Writers = 8;
        for (int round = 0; round < 20; round++)
        {
            var (future, promise) = Future.New<int>();
            using var start = new Barrier(Writers);
            Task<bool>[] writers =
            [
                .. Enumerable.Range(0, Writers).Select(w => OnOwnThread(() =>
                {
                    start.SignalAndWait(FuturesBounded.Timeout);
                    return w % 2 == 0 ? promise.TryComplete(w) : promise.TryFail(new InvalidOperationException(w.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                })),
            ];

            bool[] won = await Task.WhenAll(writers).Within();

            int winner = Assert.Single(Enumerable.Range(0, Writers), w => won[w]);
            if (winner % 2 == 0)
            {
                Assert.Equal(winner, future.Get());
            }
            else
            {
                Assert.Equal(winner.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Throws<TaskFailedException>(() => future.Get()).InnerException!.Message);
            }
        }
    }
}
