using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Flow.Properties.Support;

/// <summary>
/// The time limit of one run of a concurrent law. Every channel operation of the run takes
/// <see cref="Token"/>, and every wait goes through <see cref="Wait(Task, string)"/>, so a lost
/// message or a lost wakeup fails the law with a message naming what did not finish, instead of
/// hanging the test run. Nothing in the laws sleeps to order events.
/// </summary>
/// <remarks>
/// A run has <see cref="DefaultLimit"/>. Once a run of a law has run out of time, FsCheck shrinks
/// the failing case, and every smaller case that still hangs would cost the full limit again; so
/// later runs of that law (told apart by the member that creates the deadline) get
/// <see cref="ShrinkingLimit"/>, still far more than a run that works needs.
/// </remarks>
public sealed class Deadline : IDisposable
{
    /// <summary>How long one run of a law may take.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(10);

    /// <summary>How long one run may take once an earlier run of the same law ran out of time.</summary>
    public static readonly TimeSpan ShrinkingLimit = TimeSpan.FromSeconds(2);

    /// <summary>The laws that have run out of time at least once in this process.</summary>
    private static readonly ConcurrentDictionary<string, bool> s_expired = new();

    private readonly CancellationTokenSource _source;
    private readonly string _law;

    /// <summary>Starts the clock for one run of a law.</summary>
    /// <param name="file">Filled in by the compiler: the law's file.</param>
    /// <param name="member">Filled in by the compiler: the member that runs the law.</param>
    public Deadline([CallerFilePath] string file = "", [CallerMemberName] string member = "")
    {
        _law = $"{file}:{member}";
        Limit = s_expired.ContainsKey(_law) ? ShrinkingLimit : DefaultLimit;
        _source = new CancellationTokenSource(Limit);
    }

    /// <summary>How long this run may take.</summary>
    public TimeSpan Limit { get; }

    /// <summary>Fires when the run is out of time; pass it to every operation that can wait.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Waits for <paramref name="task"/> and rethrows its failure; fails when the deadline passes first.</summary>
    /// <param name="task">The task.</param>
    /// <param name="what">What the task does, for the failure message.</param>
    public void Wait(Task task, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        Run(() => task.WaitAsync(Token).GetAwaiter().GetResult(), what);
    }

    /// <summary>Waits for <paramref name="task"/> and returns its result; fails when the deadline passes first.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    /// <param name="what">What the task does, for the failure message.</param>
    /// <returns>The task's result.</returns>
    public T Wait<T>(Task<T> task, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Run(() => task.WaitAsync(Token).GetAwaiter().GetResult(), what);
    }

    /// <summary>Runs a step that waits on <see cref="Token"/>; its cancellation by the deadline becomes a <see cref="TimeoutException"/>.</summary>
    /// <param name="step">The step.</param>
    /// <param name="what">What the step does, for the failure message.</param>
    public void Run(Action step, string what)
    {
        ArgumentNullException.ThrowIfNull(step);
        Run<bool>(
            () =>
            {
                step();
                return true;
            },
            what);
    }

    /// <summary>Runs a step that waits on <see cref="Token"/>; its cancellation by the deadline becomes a <see cref="TimeoutException"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="step">The step.</param>
    /// <param name="what">What the step does, for the failure message.</param>
    /// <returns>The step's result.</returns>
    public T Run<T>(Func<T> step, string what)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            return step();
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            s_expired.TryAdd(_law, true);
            throw new TimeoutException($"{what} did not finish within {Limit.TotalSeconds:0} s (a lost message or a lost wakeup).");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Wake whatever still waits on the token (a sender the failed law left blocked).
        _source.Cancel();
        _source.Dispose();
    }
}
