namespace Flow;

/// <summary>
/// Waits on several ports at once and takes exactly one message from one of them.
/// </summary>
/// <remarks>
/// <para><b>Fairness.</b> Among the ports that are ready, one is chosen uniformly at random, so no
/// port starves another.</para>
/// <para><b>Closing.</b> A port that is closed and drained is ready: the select reports it (an
/// exception naming its index, or the case's <c>onClosed</c> action) instead of waiting for ever.
/// A ready port wins over <c>Default</c> and <c>Timeout</c>.</para>
/// <para><b>Threading.</b> For the whole select it is the receiver of every port it watches; a
/// port that another receiver is waiting on makes it throw <see cref="InvalidOperationException"/>.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1716", Justification = "Select is the guide's name for this operation (DESIGN.md); Visual Basic callers can still write [Select].")]
public static class Select
{
    /// <summary>Receives one message from whichever of <paramref name="ports"/> has one first, blocking the calling thread.</summary>
    /// <typeparam name="T">The type of the messages.</typeparam>
    /// <param name="ports">The ports to watch; the same port twice counts once.</param>
    /// <returns>The index of the port the message came from (its first index), and the message.</returns>
    /// <exception cref="ChannelClosedException">The chosen port is closed and drained; <see cref="ChannelClosedException.PortIndex"/> names it.</exception>
    /// <exception cref="ArgumentException"><paramref name="ports"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="ports"/> or one of its items is null.</exception>
    public static (int Index, T Value) Recv<T>(params Port<T>[] ports) => Recv((IReadOnlyList<Port<T>>)ports, default);

    /// <summary>Receives one message from whichever of <paramref name="ports"/> has one first, blocking the calling thread.</summary>
    /// <typeparam name="T">The type of the messages.</typeparam>
    /// <param name="ports">The ports to watch; the same port twice counts once.</param>
    /// <param name="cancellationToken">Stops the wait. If cancelled, no message was taken.</param>
    /// <returns>The index of the port the message came from, and the message.</returns>
    /// <exception cref="ChannelClosedException">The chosen port is closed and drained; <see cref="ChannelClosedException.PortIndex"/> names it.</exception>
    public static (int Index, T Value) Recv<T>(IReadOnlyList<Port<T>> ports, CancellationToken cancellationToken)
    {
        var set = PortSet<T>.Of(ports);
        SelectEngine.EnterAll(set.Sources);
        try
        {
            while (true)
            {
                int chosen = SelectEngine.Choose(set.Sources, System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
                if (set.TryTake(chosen, out (int, T) result))
                {
                    return result;
                }
            }
        }
        finally
        {
            SelectEngine.ExitAll(set.Sources);
        }
    }

    /// <summary>Receives one message from whichever of <paramref name="ports"/> has one first, without blocking a thread.</summary>
    /// <typeparam name="T">The type of the messages.</typeparam>
    /// <param name="ports">The ports to watch; the same port twice counts once.</param>
    /// <param name="cancellationToken">Stops the wait. If cancelled, no message was taken.</param>
    /// <returns>The index of the port the message came from, and the message; completes synchronously, without allocating, when a port is ready (and <paramref name="ports"/> is an array without repeats).</returns>
    /// <exception cref="ChannelClosedException">The chosen port is closed and drained; <see cref="ChannelClosedException.PortIndex"/> names it.</exception>
    public static ValueTask<(int Index, T Value)> RecvAsync<T>(IReadOnlyList<Port<T>> ports, CancellationToken cancellationToken = default)
    {
        PortSet<T> set;
        try
        {
            set = PortSet<T>.Of(ports);
            SelectEngine.EnterAll(set.Sources);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            return ValueTask.FromException<(int, T)>(e);
        }

        bool waiting = false;
        try
        {
            // The common case: a port is ready, so there is nothing to wait for.
            int chosen = SelectEngine.PickReady(set.Sources);
            if (chosen != SelectEngine.NotReady && set.TryTake(chosen, out (int, T) result))
            {
                return new ValueTask<(int, T)>(result);
            }

            waiting = true;
            return RecvWaitingAsync(set, cancellationToken);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<(int, T)>(e);
        }
        finally
        {
            if (!waiting)
            {
                SelectEngine.ExitAll(set.Sources);
            }
        }
    }

    /// <summary>The rest of <see cref="RecvAsync{T}"/> when nothing was ready; it owns the receiver guards from here on.</summary>
    private static async ValueTask<(int Index, T Value)> RecvWaitingAsync<T>(PortSet<T> set, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                int chosen = await SelectEngine.ChooseAsync(set.Sources, System.Threading.Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                if (set.TryTake(chosen, out (int, T) result))
                {
                    return result;
                }
            }
        }
        finally
        {
            SelectEngine.ExitAll(set.Sources);
        }
    }

    /// <summary>Starts a select with a case for <paramref name="port"/>.</summary>
    /// <typeparam name="T">The type of the port's messages.</typeparam>
    /// <param name="port">The port to watch.</param>
    /// <param name="onMessage">Runs with the message when this case is chosen.</param>
    /// <param name="onClosed">Runs when this port is chosen closed and drained; without it, <c>Run</c> throws <see cref="ChannelClosedException"/>.</param>
    /// <returns>The builder; add more cases, then <see cref="SelectBuilder.Run()"/> or <see cref="SelectBuilder.RunAsync"/>.</returns>
    public static SelectBuilder Case<T>(Port<T> port, Action<T> onMessage, Action? onClosed = null) => new SelectBuilder().Case(port, onMessage, onClosed);

    /// <summary>Starts a select that runs <paramref name="onTimeout"/> when no case is ready within <paramref name="after"/>.</summary>
    /// <param name="after">How long to wait; <see cref="TimeSpan.Zero"/> only looks.</param>
    /// <param name="onTimeout">Runs when the time is up.</param>
    /// <returns>The builder.</returns>
    public static SelectBuilder Timeout(TimeSpan after, Action onTimeout) => new SelectBuilder().Timeout(after, onTimeout);

    /// <summary>Starts a select that runs <paramref name="onDefault"/> when no case is ready right away.</summary>
    /// <param name="onDefault">Runs when nothing is ready.</param>
    /// <returns>The builder.</returns>
    public static SelectBuilder Default(Action onDefault) => new SelectBuilder().Default(onDefault);

    /// <summary>The distinct ports of a homogeneous select, with the first index of each.</summary>
    /// <remarks>
    /// An array of distinct ports is used as it is (a port is an <see cref="ISelectable"/>, and
    /// arrays of references convert without copying), so such a select allocates nothing for its
    /// set. Otherwise the distinct ports are copied out, remembering where each first stood.
    /// </remarks>
    private readonly struct PortSet<T>
    {
        /// <summary>Where each source stood in the caller's list; null when the source index is the caller's.</summary>
        private readonly int[]? _indices;

        private PortSet(ISelectable[] sources, int[]? indices)
        {
            Sources = sources;
            _indices = indices;
        }

        public ISelectable[] Sources { get; }

        public static PortSet<T> Of(IReadOnlyList<Port<T>> ports)
        {
            ArgumentNullException.ThrowIfNull(ports);
            if (ports.Count == 0)
            {
                throw new ArgumentException("A select needs at least one port.", nameof(ports));
            }

            bool distinct = true;
            for (int i = 0; i < ports.Count && distinct; i++)
            {
                Port<T> port = ports[i] ?? throw new ArgumentNullException(nameof(ports), $"Port {i} of the select is null.");
                for (int j = 0; j < i; j++)
                {
                    if (ReferenceEquals(ports[j].Core, port.Core))
                    {
                        distinct = false;
                        break;
                    }
                }
            }

            if (distinct && ports is Port<T>[] array)
            {
                return new PortSet<T>(array, null);
            }

            var sources = new List<ISelectable>(ports.Count);
            var indices = new List<int>(ports.Count);
            var seen = new HashSet<ChanCore<T>>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < ports.Count; i++)
            {
                Port<T> port = ports[i] ?? throw new ArgumentNullException(nameof(ports), $"Port {i} of the select is null.");
                if (seen.Add(port.Core))
                {
                    sources.Add(port);
                    indices.Add(i);
                }
            }

            return new PortSet<T>([.. sources], [.. indices]);
        }

        /// <summary>Takes the chosen port's message; false when it had none after all (choose again).</summary>
        public bool TryTake(int chosen, out (int Index, T Value) result)
        {
            ChanCore<T> core = ((Port<T>)Sources[chosen]).Core;
            int index = _indices?[chosen] ?? chosen;
            switch (core.Poll(take: true, out T? value, out Exception? failure))
            {
                case PollResult.Message:
                    result = (index, value!);
                    return true;
                case PollResult.Ended:
                    throw core.IsReceiverGone ? core.EndedException(failure) : ChannelClosedException.ClosedInSelect(index, failure);
                default:
                    result = default;
                    return false;
            }
        }
    }
}
