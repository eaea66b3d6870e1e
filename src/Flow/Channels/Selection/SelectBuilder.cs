namespace Flow;

/// <summary>
/// A select over ports of different message types, each with its own action, and optionally a
/// timeout or a default. Build it with <see cref="Select.Case"/>, <see cref="Select.Timeout"/> or
/// <see cref="Select.Default"/>, then <see cref="Run()"/> or <see cref="RunAsync"/> it.
/// </summary>
/// <remarks>
/// Each run takes exactly one message (or runs the timeout or default action). Among ready cases
/// one is chosen uniformly at random; a closed and drained port is ready. The action runs after
/// the select stopped being the ports' receiver, so it may receive from them itself. A builder can
/// be run many times; it is not safe to run it from two threads at once.
/// </remarks>
public sealed class SelectBuilder
{
    private readonly List<SelectCase> _cases = [];
    private Action? _onDefault;
    private Action? _onTimeout;
    private TimeSpan _timeout = System.Threading.Timeout.InfiniteTimeSpan;
    private ISelectable[]? _sources;

    internal SelectBuilder()
    {
    }

    /// <summary>Adds a case for <paramref name="port"/>. A port already in the select is ignored (the same port counts once).</summary>
    /// <typeparam name="T">The type of the port's messages.</typeparam>
    /// <param name="port">The port to watch.</param>
    /// <param name="onMessage">Runs with the message when this case is chosen.</param>
    /// <param name="onClosed">Runs when this port is chosen closed and drained; without it, the run throws <see cref="ChannelClosedException"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="port"/> or <paramref name="onMessage"/> is null.</exception>
    public SelectBuilder Case<T>(Port<T> port, Action<T> onMessage, Action? onClosed = null)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(onMessage);
        if (!_cases.Exists(c => c.Source == port.Core))
        {
            _cases.Add(new SelectCase<T>(port.Core, _cases.Count, onMessage, onClosed));
            _sources = null;
        }

        return this;
    }

    /// <summary>Runs <paramref name="onTimeout"/> when no case is ready within <paramref name="after"/>.</summary>
    /// <param name="after">How long to wait; <see cref="TimeSpan.Zero"/> only looks (and still sees a message sent before the run).</param>
    /// <param name="onTimeout">Runs when the time is up.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is negative (other than <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</exception>
    /// <exception cref="InvalidOperationException">The select already has a timeout or a default.</exception>
    public SelectBuilder Timeout(TimeSpan after, Action onTimeout)
    {
        ArgumentNullException.ThrowIfNull(onTimeout);
        if (after < TimeSpan.Zero && after != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(after), after, "A select timeout must be zero or positive.");
        }

        ThrowIfHasFallback();
        _timeout = after;
        _onTimeout = onTimeout;
        return this;
    }

    /// <summary>Runs <paramref name="onDefault"/> when no case is ready right away.</summary>
    /// <param name="onDefault">Runs when nothing is ready.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The select already has a timeout or a default.</exception>
    public SelectBuilder Default(Action onDefault)
    {
        ArgumentNullException.ThrowIfNull(onDefault);
        ThrowIfHasFallback();
        _onDefault = onDefault;
        _timeout = TimeSpan.Zero;
        return this;
    }

    /// <summary>Waits, blocking the calling thread, until one case is chosen, then runs its action.</summary>
    /// <exception cref="ChannelClosedException">The chosen port is closed and drained and its case has no <c>onClosed</c> action.</exception>
    /// <exception cref="InvalidOperationException">The select has no case, timeout or default; or another receiver waits on one of its ports.</exception>
    public void Run() => Run(default);

    /// <summary>Waits, blocking the calling thread, until one case is chosen or <paramref name="cancellationToken"/> fires, then runs the chosen action.</summary>
    /// <param name="cancellationToken">Stops the wait. If cancelled, no message was taken and no action ran.</param>
    public void Run(CancellationToken cancellationToken)
    {
        ISelectable[] sources = Prepare();
        Action chosen;
        SelectEngine.EnterAll(sources);
        try
        {
            while (true)
            {
                int index = sources.Length == 0 ? SelectEngine.NotReady : SelectEngine.Choose(sources, _timeout, cancellationToken);
                if (TryResolve(index, out chosen))
                {
                    break;
                }
            }
        }
        finally
        {
            SelectEngine.ExitAll(sources);
        }

        chosen();
    }

    /// <summary>Waits, without blocking a thread, until one case is chosen, then runs its action.</summary>
    /// <param name="cancellationToken">Stops the wait. If cancelled, no message was taken and no action ran.</param>
    /// <returns>Completes after the chosen action ran.</returns>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        ISelectable[] sources = Prepare();
        Action chosen;
        SelectEngine.EnterAll(sources);
        try
        {
            while (true)
            {
                int index = sources.Length == 0 ? SelectEngine.NotReady : await SelectEngine.ChooseAsync(sources, _timeout, cancellationToken).ConfigureAwait(false);
                if (TryResolve(index, out chosen))
                {
                    break;
                }
            }
        }
        finally
        {
            SelectEngine.ExitAll(sources);
        }

        chosen();
    }

    private ISelectable[] Prepare()
    {
        if (_cases.Count == 0 && _onDefault is null && _onTimeout is null)
        {
            throw new InvalidOperationException("A select needs at least one case, a timeout or a default.");
        }

        if (_cases.Count == 0 && _timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new InvalidOperationException("A select with no case and an infinite timeout would wait for ever.");
        }

        return _sources ??= _cases.ConvertAll(c => c.Source).ToArray();
    }

    /// <summary>Turns the engine's choice into the action to run; false when the chosen port had nothing after all.</summary>
    private bool TryResolve(int index, out Action chosen)
    {
        if (index >= 0)
        {
            return _cases[index].TryTake(out chosen);
        }

        if (index == SelectEngine.NotReady && _onDefault is not null)
        {
            chosen = _onDefault;
            return true;
        }

        // NotReady with a zero timeout, or the timeout elapsed.
        chosen = _onTimeout!;
        return true;
    }

    private void ThrowIfHasFallback()
    {
        if (_onDefault is not null || _onTimeout is not null)
        {
            throw new InvalidOperationException("A select has at most one timeout or default.");
        }
    }
}
