namespace Flow;

/// <summary>Creates shared channels: one port, and a sending handle that any number of tasks can each get a clone of.</summary>
/// <example>
/// <code>
/// var (port, chan) = SharedChan.New&lt;int&gt;();
/// for (int i = 0; i &lt; 3; i++)
/// {
///     Spawn((chan.Clone(), i), static s => s.Item1.Send(SomeExpensiveComputation(s.Item2)));
/// }
/// chan.Close();
/// int result = port.Recv() + port.Recv() + port.Recv();
/// </code>
/// </example>
public static class SharedChan
{
    /// <summary>Creates an unbounded shared channel.</summary>
    /// <typeparam name="T">The type of the messages.</typeparam>
    /// <returns>The receiving end and the first sending handle.</returns>
    public static (Port<T> Port, SharedChan<T> Chan) New<T>()
    {
        var core = new UnboundedCore<T>();
        return (new Port<T>(core), new SharedChan<T>(core, new SenderCount<T>(core)));
    }

    /// <summary>Creates a bounded shared channel (0 = rendezvous); sends wait while it is full.</summary>
    /// <typeparam name="T">The type of the messages.</typeparam>
    /// <param name="capacity">The most messages buffered at once; 0 for a rendezvous.</param>
    /// <returns>The receiving end and the first sending handle.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public static (Port<T> Port, SharedChan<T> Chan) New<T>(int capacity)
    {
        ChanCore<T> core = Chan.NewCore<T>(capacity);
        return (new Port<T>(core), new SharedChan<T>(core, new SenderCount<T>(core)));
    }
}
