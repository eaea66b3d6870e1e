namespace Flow;

/// <summary>Creates the two ends of a bidirectional channel.</summary>
/// <example>
/// <code>
/// var (fromChild, toChild) = DuplexStream.New&lt;int, string&gt;();
/// Spawn(toChild, static s => { for (int v; (v = s.Recv()) != 0;) s.Send(v.ToString()); });
/// fromChild.Send(22);
/// Console.WriteLine(fromChild.Recv()); // "22"
/// </code>
/// </example>
[SuppressMessage("Naming", "CA1711", Justification = "DuplexStream is the guide's name for this type (DESIGN.md); it is not a System.IO.Stream.")]
public static class DuplexStream
{
    /// <summary>Creates a pair of connected ends: what one sends, the other receives.</summary>
    /// <typeparam name="TA">What the first end sends (and the second receives).</typeparam>
    /// <typeparam name="TB">What the second end sends (and the first receives).</typeparam>
    /// <param name="capacity">Bound of each direction (0 = rendezvous); null for unbounded.</param>
    /// <returns>The two ends.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public static (DuplexStream<TA, TB> Left, DuplexStream<TB, TA> Right) New<TA, TB>(int? capacity = null)
    {
        var (portA, chanA) = capacity is int c ? Chan.New<TA>(c) : Chan.New<TA>();
        var (portB, chanB) = capacity is int d ? Chan.New<TB>(d) : Chan.New<TB>();
        return (new DuplexStream<TA, TB>(chanA, portB), new DuplexStream<TB, TA>(chanB, portA));
    }
}
