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
        var set = new PortSet<T>(ports);
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
    /// <returns>The index of the port the message came from, and the message.</returns>
    /// <exception cref="ChannelClosedException">The chosen port is closed and drained; <see cref="ChannelClosedException.PortIndex"/> names it.</exception>
    public static async ValueTask<(int Index, T Value)> RecvAsync<T>(IReadOnlyList<Port<T>> ports, CancellationToken cancellationToken = default)
    {
        var set = new PortSet<T>(ports);
        SelectEngine.EnterAll(set.Sources);
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
    private sealed class PortSet<T>
    {
        private readonly ChanCore<T>[] _cores;
        private readonly int[] _indices;

        public PortSet(IReadOnlyList<Port<T>> ports)
        {
            ArgumentNullException.ThrowIfNull(ports);
            if (ports.Count == 0)
            {
                throw new ArgumentException("A select needs at least one port.", nameof(ports));
            }

            var cores = new List<ChanCore<T>>(ports.Count);
            var indices = new List<int>(ports.Count);
            for (int i = 0; i < ports.Count; i++)
            {
                Port<T> port = ports[i] ?? throw new ArgumentNullException(nameof(ports), $"Port {i} of the select is null.");
                if (!cores.Contains(port.Core))
                {
                    cores.Add(port.Core);
                    indices.Add(i);
                }
            }

            _cores = [.. cores];
            _indices = [.. indices];
            Sources = _cores;
        }

        public ISelectable[] Sources { get; }

        /// <summary>Takes the chosen port's message; false when it had none after all (choose again).</summary>
        public bool TryTake(int chosen, out (int Index, T Value) result)
        {
            switch (_cores[chosen].Poll(take: true, out T? value, out Exception? failure))
            {
                case PollResult.Message:
                    result = (_indices[chosen], value!);
                    return true;
                case PollResult.Ended:
                    throw _cores[chosen].IsReceiverGone
                        ? _cores[chosen].EndedException(failure)
                        : ChannelClosedException.ClosedInSelect(_indices[chosen], failure);
                default:
                    result = default;
                    return false;
            }
        }
    }
}
