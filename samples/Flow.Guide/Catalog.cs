namespace Flow.Guide;

/// <summary>Every example, in the order of the guide (guide-tasks.txt), then Flow's own.</summary>
internal static class Catalog
{
    public static readonly Example[] All =
    [
        new("spawn", "Spawning tasks", SpawnExamples.SpawnTasks),
        new("spawn-capture", "Spawning tasks: capturing state", SpawnExamples.CaptureState),
        new("port-chan", "Communication: a port and a chan", ChannelExamples.PortChan),
        new("chan-ownership", "Communication: one owner per chan (the ill-typed example, fixed)", OwnershipExamples.OwnedOnce),
        new("shared-chan", "Communication: a SharedChan for several senders", ChannelExamples.SharedChan),
        new("vector-of-ports", "Communication: a vector of ports", ChannelExamples.VectorOfPorts),
        new("future-fib", "Backgrounding computations: a Future", FutureExamples.FibFuture),
        new("future-pi", "Backgrounding computations: 1000 futures summing to π²/6", FutureExamples.PiSquaredOverSix),
        new("arc-pnorm", "Sharing immutable data without copy: Arc", ArcExamples.PNorms),
        new("try", "Handling task failure: Try", FailureExamples.TryWithFailingBody),
        new("duplex-stream", "A bi-directional communication path: DuplexStream", DuplexExamples.Stringifier),
        new("select-timeout", "Flow: select with a timeout", SelectExamples.SelectWithTimeoutAsync),
        new("linked-supervised", "Flow: linked and supervised failure", FailureExamples.LinkedVersusSupervised),
        new("task-scope", "Flow: a TaskScope", FailureExamples.TaskScopeAsync),
        new("pipeline", "Flow: a pipeline that contains malformed input", PipelineExamples.ParseBatchAndSumAsync),
        new("reactive", "Flow: an observable feeding a port, a port feeding an Rx query", ReactiveExamples.ObservableToPortToQueryAsync),
    ];
}
