using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Flow.Reactive;

namespace Flow.Tests.Reactive;

/// <summary>
/// <c>future.ToObservable()</c>: the value then <c>OnCompleted</c>, or <c>OnError</c> with a
/// <see cref="TaskFailedException"/> carrying the failure; every subscriber gets the outcome.
/// </summary>
public class FutureObservableTests
{
    [Fact]
    public void ToObservable_NullFuture_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ((Future<int>)null!).ToObservable());
    }

    [Fact]
    public async Task ReadyFuture_IsItsValueThenCompleted()
    {
        var recorder = new Recorder<int>();

        using IDisposable subscription = Future.FromValue(42).ToObservable().Subscribe(recorder);

        await recorder.WaitForEnd();
        Assert.Equal([42], recorder.Values);
        Assert.True(recorder.IsCompleted);
    }

    [Fact]
    public async Task PendingFuture_EmitsWhenCompleted_ToEverySubscriber()
    {
        var (future, promise) = Future.New<string>();
        IObservable<string> observable = future.ToObservable();
        var first = new Recorder<string>();
        var second = new Recorder<string>();
        using IDisposable a = observable.Subscribe(first);
        using IDisposable b = observable.Subscribe(second);
        Assert.Equal(0, first.Count);

        promise.Complete("done");

        await first.WaitForEnd();
        await second.WaitForEnd();
        Assert.Equal(["done"], first.Values);
        Assert.Equal(["done"], second.Values);
        string late = await observable.ToTask().Within();
        Assert.Equal("done", late);
    }

    [Fact]
    public async Task FailedPromise_IsOnErrorTaskFailed_WithTheExceptionInside()
    {
        var (future, promise) = Future.New<int>();
        var boom = new MissingMemberException("computation failed");
        var recorder = new Recorder<int>();
        using IDisposable subscription = future.ToObservable().Subscribe(recorder);

        promise.Fail(boom);

        await recorder.WaitForEnd();
        Assert.Empty(recorder.Values);
        var failed = Assert.IsType<TaskFailedException>(recorder.Error);
        Assert.Same(boom, failed.InnerException);
    }

    [Fact]
    public async Task SpawnedFutureThatThrows_IsOnErrorTaskFailed_WithTheFailure()
    {
        var boom = new InvalidDataException("body threw");
        Future<int> future = Future.Spawn((Func<int>)(() => throw boom));

        var failed = await Assert.ThrowsAsync<TaskFailedException>(() => future.ToObservable().ToTask().Within());

        Assert.Same(boom, failed.Failure?.Exception);
    }

    [Fact]
    public async Task Unsubscribing_BeforeTheValue_StopsWaiting_AndTheFutureStillCompletes()
    {
        var (future, promise) = Future.New<int>();
        var recorder = new Recorder<int>();
        IDisposable subscription = future.ToObservable().Subscribe(recorder);

        subscription.Dispose();
        promise.Complete(1);

        Assert.Equal(1, await future.GetAsync().Within());
        int again = await future.ToObservable().ToTask().Within();
        Assert.Equal(1, again);
        Assert.Equal(0, recorder.Count);
    }
}
