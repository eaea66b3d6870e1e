namespace Flow.Guide;

/// <summary>One runnable example of the guide: a name to select it by, a heading, and a body that checks its own result.</summary>
/// <param name="Name">The name given on the command line to run only this example.</param>
/// <param name="Title">The heading printed before it runs (the guide's section).</param>
/// <param name="Run">Writes the example's output and returns true when its check passed.</param>
internal sealed record Example(string Name, string Title, Func<TextWriter, Task<bool>> Run)
{
    /// <summary>An example whose body blocks, as the guide's do: it runs on a thread of its own.</summary>
    public Example(string name, string title, Func<TextWriter, bool> run)
        : this(name, title, output => Task.Factory.StartNew(() => run(output), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
    {
    }
}
