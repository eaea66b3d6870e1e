namespace Flow;

/// <summary>Waits on a task that the calling Flow task's kill interrupts with <see cref="TaskKilledException"/>.</summary>
internal static class KillableWait
{
    /// <summary>Blocks until <paramref name="done"/> completes.</summary>
    /// <exception cref="TaskKilledException">The calling Flow task was killed while waiting.</exception>
    public static void Wait(Task done)
    {
        if (done.IsCompleted)
        {
            return;
        }

        JoinHandle? task = Ambient.CurrentTask;
        if (task is null)
        {
            done.Wait(CancellationToken.None);
            return;
        }

        Ambient.ThrowIfKilled(task);
        try
        {
            done.Wait(task.KillToken);
        }
        catch (OperationCanceledException) when (task.IsKillRequested)
        {
            throw new TaskKilledException();
        }
    }

    /// <summary>Waits asynchronously until <paramref name="done"/> completes.</summary>
    /// <exception cref="TaskKilledException">The calling Flow task was killed while waiting.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public static async Task WaitAsync(Task done, CancellationToken cancellationToken)
    {
        if (done.IsCompleted)
        {
            return;
        }

        JoinHandle? task = Ambient.CurrentTask;
        if (task is null)
        {
            await done.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        Ambient.ThrowIfKilled(task);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, task.KillToken);
        try
        {
            await done.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (task.IsKillRequested)
        {
            throw new TaskKilledException();
        }
    }
}
