namespace Flow;

/// <summary>
/// The choice at the heart of every select: wait until some port is ready, then pick one of the
/// ready ports uniformly at random.
/// </summary>
/// <remarks>
/// <para>
/// Uniform among the ready ports (as Go's select): count them, draw one from the runtime's PRNG.
/// A port that is always ready therefore never starves another, and a closed port is ready, so a
/// select reports the closure rather than hanging.
/// </para>
/// <para>
/// The engine only chooses; the caller takes the message, so exactly one message is taken per
/// select. The caller holds every port's receiver guard for the whole select, so nothing else can
/// take the chosen port's message in between.
/// </para>
/// </remarks>
internal static class SelectEngine
{
    /// <summary>Returned when nothing was ready and the select may not wait (a default case or a zero timeout).</summary>
    public const int NotReady = -1;

    /// <summary>Returned when the select's timeout elapsed first.</summary>
    public const int TimedOut = -2;

    /// <summary>Picks a ready source uniformly, or <see cref="NotReady"/>.</summary>
    public static int PickReady(ISelectable[] sources)
    {
        int ready = 0;
        foreach (ISelectable source in sources)
        {
            if (source.IsReady)
            {
                ready++;
            }
        }

        if (ready == 0)
        {
            return NotReady;
        }

        int pick = ready == 1 ? 0 : FlowRuntime.Current.NextRandom(ready);
        for (int i = 0; i < sources.Length; i++)
        {
            // A port that became ready after the count shifts the pick by one: still a ready port.
            if (sources[i].IsReady && pick-- == 0)
            {
                return i;
            }
        }

        return NotReady;
    }

    /// <summary>Blocks until a source is ready and returns its index; or <see cref="NotReady"/>/<see cref="TimedOut"/>.</summary>
    /// <param name="sources">Distinct sources.</param>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> to wait for ever; <see cref="TimeSpan.Zero"/> not to wait.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static int Choose(ISelectable[] sources, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int chosen = PickReady(sources);
        if (chosen != NotReady || timeout == TimeSpan.Zero)
        {
            return chosen;
        }

        JoinHandle? task = Ambient.CurrentTask;
        using var waiter = new SelectWaiter(isAsync: false);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            waiter.StartTimer(timeout);
        }

        while (true)
        {
            chosen = PickReady(sources);
            if (chosen != NotReady)
            {
                return chosen;
            }

            if (waiter.TimedOut)
            {
                return TimedOut;
            }

            Ambient.ThrowIfStopped(task, cancellationToken);
            waiter.Reset();
            if (RegisterAll(sources, waiter))
            {
                waiter.Wait(task, cancellationToken);
                UnregisterAll(sources, waiter);
            }
        }
    }

    /// <summary>The asynchronous form of <see cref="Choose"/>.</summary>
    public static async ValueTask<int> ChooseAsync(ISelectable[] sources, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int chosen = PickReady(sources);
        if (chosen != NotReady || timeout == TimeSpan.Zero)
        {
            return chosen;
        }

        JoinHandle? task = Ambient.CurrentTask;
        using var waiter = new SelectWaiter(isAsync: true);
        using CancellationTokenRegistration onCancel = cancellationToken.UnsafeRegister(static s => ((SelectWaiter)s!).Notify(), waiter);
        using KillWatch onKill = KillWatch.Start(task, waiter);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            waiter.StartTimer(timeout);
        }

        while (true)
        {
            chosen = PickReady(sources);
            if (chosen != NotReady)
            {
                return chosen;
            }

            if (waiter.TimedOut)
            {
                return TimedOut;
            }

            Ambient.ThrowIfStopped(task, cancellationToken);
            Task round = waiter.Reset()!;
            if (RegisterAll(sources, waiter))
            {
                await round;
                UnregisterAll(sources, waiter);
            }
        }
    }

    private static bool RegisterAll(ISelectable[] sources, SelectWaiter waiter)
    {
        for (int i = 0; i < sources.Length; i++)
        {
            if (!sources[i].TryRegister(waiter))
            {
                // Port i became ready: take the waiter back from the others and choose again.
                for (int j = 0; j < i; j++)
                {
                    sources[j].TryUnregister(waiter);
                }

                return false;
            }
        }

        return true;
    }

    private static void UnregisterAll(ISelectable[] sources, SelectWaiter waiter)
    {
        foreach (ISelectable source in sources)
        {
            source.TryUnregister(waiter);
        }
    }

    /// <summary>Marks the select as the receiver of every source; on failure, releases those already marked.</summary>
    public static void EnterAll(ISelectable[] sources)
    {
        for (int i = 0; i < sources.Length; i++)
        {
            try
            {
                sources[i].EnterReceiving();
            }
            catch
            {
                for (int j = 0; j < i; j++)
                {
                    sources[j].ExitReceiving();
                }

                throw;
            }
        }
    }

    public static void ExitAll(ISelectable[] sources)
    {
        foreach (ISelectable source in sources)
        {
            source.ExitReceiving();
        }
    }
}
