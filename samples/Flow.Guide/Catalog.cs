namespace Flow.Guide;

/// <summary>Every example, in the order of the guide (guide-tasks.txt), then Flow's own.</summary>
internal static class Catalog
{
    public static readonly Example[] All =
    [
        new("spawn", "Spawning tasks", SpawnExamples.SpawnAsync),
        new("spawn-capture", "Spawning tasks: capturing state", SpawnExamples.CaptureAsync),
        new("port-chan", "Communication: a port and a chan", ChannelExamples.PortChanAsync),
        new("shared-chan", "Communication: a SharedChan for several senders", ChannelExamples.SharedChanAsync),
        new("vector-of-ports", "Communication: a vector of ports", ChannelExamples.VectorOfPortsAsync),
        new("duplex-stream", "A bi-directional communication path: DuplexStream", DuplexExamples.StringifierAsync),
        new("select-timeout", "Flow: select with a timeout", SelectExamples.SelectWithTimeoutAsync),
    ];
}
