namespace Flow.Tests.Pipelines;

/// <summary>Small helpers shared by the pipeline tests; every wait is bounded.</summary>
internal static class PipelineKit
{
    /// <summary>Receives every message until the port closes; fails the test if that takes longer than <see cref="Bounded.Timeout"/>.</summary>
    public static async Task<List<T>> Drain<T>(Port<T> port)
    {
        var received = new List<T>();
        using CancellationTokenSource deadline = Bounded.Deadline();
        await foreach (T message in port.WithCancellation(deadline.Token))
        {
            received.Add(message);
        }

        return received;
    }

    /// <summary>
    /// Receives every message until the port ends, and tells how it ended: null for a clean close,
    /// or the <see cref="ChannelClosedException"/> of a failed sender.
    /// </summary>
    public static async Task<(List<T> Items, Exception? Failure)> DrainOutcome<T>(Port<T> port)
    {
        var received = new List<T>();
        using CancellationTokenSource deadline = Bounded.Deadline();
        try
        {
            await foreach (T message in port.WithCancellation(deadline.Token))
            {
                received.Add(message);
            }
        }
        catch (ChannelClosedException closed)
        {
            return (received, closed);
        }

        return (received, null);
    }

    /// <summary>Takes whatever is buffered in <paramref name="port"/> right now.</summary>
    public static List<T> TakeBuffered<T>(Port<T> port)
    {
        var taken = new List<T>();
        while (port.TryRecv(out T? message))
        {
            taken.Add(message);
        }

        return taken;
    }

    /// <summary>Sends <paramref name="items"/> in, then completes the pipeline.</summary>
    public static async Task SendAll<T>(Pipeline<T> pipeline, IEnumerable<T> items)
    {
        foreach (T item in items)
        {
            await pipeline.SendAsync(item).Within();
        }

        pipeline.Complete();
    }

    /// <summary>Awaits <paramref name="task"/> (bounded) and returns the exception it ended with.</summary>
    public static async Task<Exception> FailureOf(Task task)
    {
        Exception? thrown = await Record.ExceptionAsync(() => task.Within());
        Assert.NotNull(thrown);
        Assert.IsNotType<TimeoutException>(thrown);
        return thrown;
    }

    /// <summary>The lines of <c>Describe()</c> that declare a node (<c>s3["…"]</c>), in stage order.</summary>
    public static string[] Nodes(string mermaid) =>
        [.. mermaid.Split('\n').Where(line => line.TrimStart().StartsWith('s') && line.Contains("[\"", StringComparison.Ordinal))];
}

/// <summary>An exception a test throws from a stage, telling which item it failed on.</summary>
internal sealed class StageFailure(int item) : Exception($"stage failed on {item}")
{
    public int Item { get; } = item;
}
