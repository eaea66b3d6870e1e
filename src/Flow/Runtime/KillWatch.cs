namespace Flow;

/// <summary>A wait that the kill of its Flow task must interrupt.</summary>
internal interface IKillable
{
    /// <summary>The waiting task was killed. May run on the killing thread, or inline in <see cref="KillWatch.Start"/>.</summary>
    void OnKilled();
}

/// <summary>
/// One wait registered with its task's kill, for as long as the wait lasts. Dispose when the wait
/// ends. Costs nothing outside a Flow task.
/// </summary>
/// <remarks>
/// A task is usually in one wait at a time, so the task keeps that wait in a slot of its own and
/// <see cref="JoinHandle.Kill"/> interrupts it directly: no cancellation source, no registration.
/// A second concurrent wait of the same task (say, a <c>WhenAll</c> of two receives) falls back to
/// the task's kill token.
/// </remarks>
internal readonly struct KillWatch : IDisposable
{
    private readonly JoinHandle? _task;
    private readonly IKillable? _wait;
    private readonly CancellationTokenRegistration _fallback;
    private readonly bool _viaToken;

    internal KillWatch(JoinHandle task, IKillable wait, CancellationTokenRegistration fallback, bool viaToken)
    {
        _task = task;
        _wait = wait;
        _fallback = fallback;
        _viaToken = viaToken;
    }

    /// <summary>Registers <paramref name="wait"/> with <paramref name="task"/>'s kill; a kill that already happened calls <see cref="IKillable.OnKilled"/> at once.</summary>
    public static KillWatch Start(JoinHandle? task, IKillable wait) => task is null ? default : task.Watch(wait);

    /// <summary>The token registration, when the task's slot was taken by another wait; for a waiter that keeps the watch in fewer fields.</summary>
    public CancellationTokenRegistration Fallback => _fallback;

    /// <summary>True when the watch went through the task's kill token rather than its slot.</summary>
    public bool ViaToken => _viaToken;

    /// <summary>Ends a watch kept as its parts (the task and the wait being known to the waiter).</summary>
    public static void End(JoinHandle? task, IKillable wait, CancellationTokenRegistration fallback, bool viaToken)
    {
        if (viaToken)
        {
            fallback.Dispose();
        }
        else
        {
            task?.Unwatch(wait);
        }
    }

    public void Dispose()
    {
        if (_task is null)
        {
            return;
        }

        if (_viaToken)
        {
            _fallback.Dispose();
        }
        else
        {
            _task.Unwatch(_wait!);
        }
    }
}
