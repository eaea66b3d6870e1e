using Flow.Properties.Generators;
using Flow.Properties.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Channels;

/// <summary>Law 4, one message per select and none lost.</summary>
public class SelectProperties
{
    /// <summary>
    /// For any contents of 2..6 ports, each filled and closed up front: repeated selects over the
    /// ports not yet reported closed (by <c>Select.Recv</c>, <c>Select.RecvAsync</c> or the
    /// builder) each take exactly one message — the ports' total <c>Count</c> drops by one, at the
    /// port the select names — or report one closed port, which is then drained; until every port
    /// was reported. What the selects took is everything sent, each port's messages in order.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(100)]
    public Property Select_TakesExactlyOneMessagePerCall_AndLosesNone() =>
        Prop.ForAll(ChannelArbs.Scripts(min: 2, max: 6), ChannelArbs.OneOf<SelectStyle>(), SelectFilledPorts);

    /// <summary>
    /// For any contents of 2..6 ports of any shape (unbounded, bounded 1..16, rendezvous), each fed
    /// by its own sender thread that closes the chan at the end: repeated selects over the ports
    /// not yet reported closed take every message once, each port's messages in order, and report
    /// a port closed only after all its messages were taken.
    /// </summary>
    /// <returns>The property.</returns>
    [Law(30)]
    public Property Select_WithConcurrentSenders_LosesNothing_AndKeepsEachPortsOrder() =>
        Prop.ForAll(
            ChannelArbs.Scripts(min: 2, max: 6),
            ChannelArbs.Shape(maxCapacity: 16, rendezvous: true),
            ChannelArbs.OneOf<SelectStyle>(),
            SelectWhileSending);

    private static void SelectFilledPorts(int[][] contents, SelectStyle style)
    {
        using var deadline = new Deadline();
        var ports = new Port<int>[contents.Length];
        for (int p = 0; p < contents.Length; p++)
        {
            var (port, chan) = Chan.New<int>();
            foreach (int m in contents[p])
            {
                chan.Send(m);
            }

            chan.Close();
            ports[p] = port;
        }

        SelectUntilAllClosed(
            ports,
            contents,
            style,
            deadline,
            (active, pick) =>
            {
                // Nothing runs concurrently here, so the counts tell exactly what one select took.
                int before = ports.Sum(p => p.Count);
                Port<int>[] activePorts = [.. active.Select(p => ports[p])];
                int[] counts = [.. activePorts.Select(p => p.Count)];
                Pick result = pick(activePorts);
                int after = ports.Sum(p => p.Count);
                if (result.Closed)
                {
                    Expect.Equal(before, after, $"Ports' total Count across a select that reported port {active[result.Index]} closed");
                }
                else
                {
                    Expect.Equal(before - 1, after, $"Ports' total Count across a select that returned {result.Value} from port {active[result.Index]}");
                    Expect.Equal(counts[result.Index] - 1, activePorts[result.Index].Count, $"Count of port {active[result.Index]}, which the select named");
                }

                return result;
            });
    }

    private static void SelectWhileSending(int[][] contents, ChanShape shape, SelectStyle style)
    {
        using var deadline = new Deadline();
        CancellationToken token = deadline.Token;
        var spawn = new Spawn();
        var ports = new Port<int>[contents.Length];
        for (int p = 0; p < contents.Length; p++)
        {
            var (port, chan) = shape.NewChan<int>();
            int[] script = contents[p];
            spawn.Thread(
                () =>
                {
                    foreach (int m in script)
                    {
                        chan.Send(m, token);
                    }

                    chan.Close();
                },
                token);
            ports[p] = port;
        }

        spawn.Release();
        SelectUntilAllClosed(ports, contents, style, deadline, (active, pick) => pick([.. active.Select(p => ports[p])]));
        spawn.JoinAll(deadline, "The senders");
    }

    /// <summary>
    /// Selects over the ports not yet reported closed until none is left, checking each outcome.
    /// <paramref name="step"/> runs one select (through the function it is given) and may check more.
    /// </summary>
    private static void SelectUntilAllClosed(
        Port<int>[] ports,
        int[][] contents,
        SelectStyle style,
        Deadline deadline,
        Func<List<int>, Func<Port<int>[], Pick>, Pick> step)
    {
        var active = Enumerable.Range(0, ports.Length).ToList();
        var taken = ports.Select(_ => new List<int>()).ToArray();
        int selects = 0;
        int limit = contents.Sum(c => c.Length) + ports.Length;
        while (active.Count > 0)
        {
            Expect.That(++selects <= limit, $"Every select takes a message or reports a closed port, so {limit} selects are enough; taken so far: {string.Join(" ", taken.Select(Expect.Show))}");
            Pick pick = step(active, p => SelectOnce(p, style, deadline));
            int port = active[pick.Index];
            if (pick.Closed)
            {
                Expect.Sequence(contents[port], taken[port], $"Port {port} reported closed: what was taken from it first");
                Expect.That(ports[port].IsCompleted, $"Port {port} reported closed is completed");
                active.RemoveAt(pick.Index);
            }
            else
            {
                taken[port].Add(pick.Value);
            }
        }

        for (int p = 0; p < ports.Length; p++)
        {
            Expect.Sequence(contents[p], taken[p], $"Messages taken from port {p}");
        }
    }

    /// <summary>One select over <paramref name="ports"/> with <paramref name="style"/>; checks that it names one of them.</summary>
    private static Pick SelectOnce(Port<int>[] ports, SelectStyle style, Deadline deadline)
    {
        Pick pick = SelectOnceUnchecked(ports, style, deadline);
        Expect.That(pick.Index >= 0 && pick.Index < ports.Length, $"A select ({style}) named index {pick.Index} of {ports.Length} ports");
        return pick;
    }

    private static Pick SelectOnceUnchecked(Port<int>[] ports, SelectStyle style, Deadline deadline)
    {
        CancellationToken token = deadline.Token;
        string what = $"A select ({style}) over {ports.Length} ports";
        try
        {
            switch (style)
            {
                case SelectStyle.Recv:
                    return deadline.Run(() => Pick.Message(Select.Recv(ports, token)), what);
                case SelectStyle.RecvAsync:
                    return Pick.Message(deadline.Wait(Select.RecvAsync(ports, token).AsTask(), what));
                default:
                    var picked = new List<Pick>();
                    SelectBuilder builder = Select.Case(ports[0], v => picked.Add(new Pick(0, v, false)), () => picked.Add(new Pick(0, 0, true)));
                    for (int i = 1; i < ports.Length; i++)
                    {
                        int index = i;
                        builder.Case(ports[i], v => picked.Add(new Pick(index, v, false)), () => picked.Add(new Pick(index, 0, true)));
                    }

                    deadline.Run(() => builder.Run(token), what);
                    Expect.Equal(1, picked.Count, "Actions run by one Run of the builder");
                    return picked[0];
            }
        }
        catch (ChannelClosedException closed)
        {
            Expect.That(closed.PortIndex is not null, $"{what} threw ChannelClosedException without PortIndex: {closed.Message}");
            return new Pick(closed.PortIndex.Value, 0, true);
        }
    }

    /// <summary>What one select did: took <see cref="Value"/> from port <see cref="Index"/>, or found that port closed.</summary>
    private readonly record struct Pick(int Index, int Value, bool Closed)
    {
        public static Pick Message((int Index, int Value) result) => new(result.Index, result.Value, false);
    }
}
