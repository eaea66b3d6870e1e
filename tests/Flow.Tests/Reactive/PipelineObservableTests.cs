using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Flow.Reactive;

namespace Flow.Tests.Reactive;

/// <summary>
/// <c>pipelineBuilder.ToObservable(capacity)</c>: the pipeline's output as an observable that
/// completes with the pipeline and errors with its failure, keeping the pipeline's backpressure.
/// </summary>
public class PipelineObservableTests
{
    [Fact]
    public void ToObservable_NullBuilder_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ((PipelineBuilder<int, int>)null!).ToObservable());
    }

    [Fact]
    public async Task Output_IsEveryResultInOrder_ThenCompletedWithThePipeline()
    {
        var (pipeline, output) = Pipeline.Create<int>().Select(x => x * x).Where(x => x % 2 == 0).ToObservable(capacity: 2);
        Task<int[]> all = output.ToArray().ToTask();

        for (int i = 0; i < 20; i++)
        {
            await pipeline.SendAsync(i).Within();
        }

        pipeline.Complete();
        int[] results = await all.Within();
        await pipeline.Completion.Within();

        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * x).Where(x => x % 2 == 0), results);
    }

    [Fact]
    public async Task FailingStage_IsOnError_WithTheStagesException()
    {
        var boom = new OverflowException("stage failed");
        var (pipeline, output) = Pipeline.Create<int>().Select(x => x == 3 ? throw boom : x).ToObservable();
        var recorder = new Recorder<int>();
        using IDisposable subscription = output.Subscribe(recorder);

        for (int i = 0; i < 5; i++)
        {
            pipeline.TrySend(i);
        }

        await recorder.WaitForEnd();
        Assert.Same(boom, recorder.Error);

        // DESIGN: outputs produced before a FailPipeline failure may still be delivered, in
        // order; nothing after the failing item is.
        int[] before = recorder.Values;
        Assert.True(before.Length <= 3, $"{before.Length} outputs for 3 items before the failing one");
        Assert.Equal(Enumerable.Range(0, before.Length), before);
        Assert.Same(boom, await Assert.ThrowsAsync<OverflowException>(() => pipeline.Completion.Within()));
    }

    [Fact]
    public async Task BoundedOutput_WithASlowSubscriber_LosesNothing()
    {
        var (pipeline, output) = Pipeline.Create<int>().Select(x => x + 1).ToObservable(capacity: 1);
        // Slow: each OnNext spins a while, so the pipeline backs up behind the one-slot port.
        var recorder = new Recorder<int>(_ => Thread.SpinWait(20_000));
        using IDisposable subscription = output.Subscribe(recorder);

        Task feeding = Task.Run(async () =>
        {
            for (int i = 0; i < 50; i++)
            {
                await pipeline.SendAsync(i);
            }

            pipeline.Complete();
        });

        await feeding.Within();
        await recorder.WaitForEnd();
        Assert.Equal(Enumerable.Range(1, 50), recorder.Values);
        Assert.True(recorder.IsCompleted);
    }
}
