using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Generators;

/// <summary>
/// The generators of the channel laws. Every one comes with a shrinker, and the values are plain
/// arrays, small records and enums, so a failing case shrinks to something short to read.
/// </summary>
public static class ChannelArbs
{
    private static readonly Gen<int> s_values = ArbMap.Default.GeneratorFor<int>();

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], shrinking towards <paramref name="min"/>.</summary>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<int> Between(int min, int max) =>
        Arb.From(Gen.Choose(min, max), value => ShrinkTowards(min, value));

    /// <summary>
    /// A capacity in [<paramref name="min"/>, <paramref name="max"/>], one time in three among the
    /// four smallest, so a script of a few dozen steps fills it often. Shrinks towards <paramref name="min"/>.
    /// </summary>
    /// <param name="min">The smallest capacity.</param>
    /// <param name="max">The largest capacity.</param>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<int> Capacity(int min, int max) =>
        Arb.From(
            Gen.Frequency((1, Gen.Choose(min, Math.Min(max, min + 3))), (2, Gen.Choose(min, max))),
            value => ShrinkTowards(min, value));

    /// <summary>A value of <typeparamref name="TEnum"/>, shrinking towards the first declared value.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<TEnum> OneOf<TEnum>()
        where TEnum : struct, Enum
    {
        TEnum[] values = Enum.GetValues<TEnum>();
        return Arb.From(Gen.Elements(values), value => values.TakeWhile(v => !v.Equals(value)));
    }

    /// <summary>
    /// A channel shape: unbounded, bounded with a capacity in [1, <paramref name="maxCapacity"/>],
    /// and, when <paramref name="rendezvous"/>, rendezvous. Shrinks towards unbounded, then towards
    /// smaller capacities.
    /// </summary>
    /// <param name="maxCapacity">The largest bounded capacity.</param>
    /// <param name="rendezvous">Whether rendezvous channels are generated.</param>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ChanShape> Shape(int maxCapacity, bool rendezvous)
    {
        var shapes = new List<Gen<ChanShape>>
        {
            Gen.Constant(ChanShape.Unbounded),
            Gen.Choose(1, maxCapacity).Select(ChanShape.Bounded),
        };
        if (rendezvous)
        {
            shapes.Add(Gen.Constant(ChanShape.Rendezvous));
        }

        return Arb.From(Gen.OneOf(shapes), ShrinkShape);
    }

    /// <summary>
    /// The messages of <paramref name="min"/> to <paramref name="max"/> senders (or ports): one
    /// array per sender, of any length. Shrinks by dropping senders and messages.
    /// </summary>
    /// <param name="min">The fewest senders.</param>
    /// <param name="max">The most senders.</param>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<int[][]> Scripts(int min, int max)
    {
        Gen<int[][]> gen = Gen.Choose(min, max).SelectMany(count => Gen.ArrayOf(Gen.ArrayOf(s_values), count));
        Arbitrary<int[][]> plain = ArbMap.Default.ArbFor<int[][]>();
        return Arb.From(gen, scripts => plain.Shrinker(scripts).Where(s => s.Length >= min && s.Length <= max));
    }

    /// <summary>Any list of messages, shrinking by dropping and shrinking messages.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<int[]> Messages() => ArbMap.Default.ArbFor<int[]>();

    /// <summary>
    /// A script of <c>TrySend</c>/<c>TryRecv</c> steps. Each script leans towards sending or towards
    /// receiving (a send weight of 1 to 4 against 1), and runs up to twice the test size, so a
    /// buffer fills up, stays full, and drains.
    /// </summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<BufferOp[]> BufferOps()
    {
        Gen<BufferOp> recv = Gen.Constant(new BufferOp(false, 0));
        Gen<BufferOp> send = s_values.Select(v => new BufferOp(true, v));
        Gen<BufferOp[]> gen = Gen.Choose(1, 4)
            .SelectMany(weight => Gen.ArrayOf(Gen.Frequency((weight, send), (1, recv))))
            .ScaleSize(size => size * 2);
        return ArrayOf(gen, op => op.IsSend ? ShrinkInt(op.Value).Select(v => op with { Value = v }) : []);
    }

    /// <summary>A script of sends, receives, closes, failures and clones on the handles of one shared chan.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<HandleOp[]> HandleOps()
    {
        Gen<HandleOp> op = Gen.Frequency(
            (5, Gen.Zip(Gen.Choose(0, 8), s_values, (h, v) => new HandleOp(HandleAction.Send, h, v))),
            (3, Gen.Constant(new HandleOp(HandleAction.Recv, 0, 0))),
            (2, Gen.Choose(0, 8).Select(h => new HandleOp(HandleAction.Close, h, 0))),
            (1, Gen.Choose(0, 8).Select(h => new HandleOp(HandleAction.Clone, h, 0))),
            (1, Gen.Choose(0, 8).Select(h => new HandleOp(HandleAction.Fail, h, 0))));
        return ArrayOf(Gen.ArrayOf(op), ShrinkHandleOp);
    }

    /// <summary>A script of <c>TrySend</c>, <c>SendAsync</c> (pending while full) and <c>TryRecv</c> steps on a few handles.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<OfferOp[]> OfferOps()
    {
        Gen<OfferOp> op = Gen.Frequency(
            (2, Gen.Zip(Gen.Choose(0, 2), s_values, (h, v) => new OfferOp(OfferAction.TrySend, h, v))),
            (3, Gen.Zip(Gen.Choose(0, 2), s_values, (h, v) => new OfferOp(OfferAction.SendAsync, h, v))),
            (3, Gen.Constant(new OfferOp(OfferAction.TryRecv, 0, 0))));
        return ArrayOf(
            Gen.ArrayOf(op),
            o => o.Action == OfferAction.TryRecv ? [] : ShrinkTowards(0, o.Handle).Select(h => o with { Handle = h })
                .Concat(ShrinkInt(o.Value).Select(v => o with { Value = v })));
    }

    private static IEnumerable<HandleOp> ShrinkHandleOp(HandleOp op)
    {
        if (op.Action == HandleAction.Recv)
        {
            yield break;
        }

        foreach (int handle in ShrinkTowards(0, op.Handle))
        {
            yield return op with { Handle = handle };
        }

        foreach (int value in ShrinkInt(op.Value))
        {
            yield return op with { Value = value };
        }
    }

    /// <summary>An arbitrary over arrays whose shrinker is FsCheck's array shrinker (drop elements, shrink elements).</summary>
    private static Arbitrary<T[]> ArrayOf<T>(Gen<T[]> gen, Func<T, IEnumerable<T>> shrinkElement)
    {
        // Only the element shrinker matters here: the generator passed to the merged arbitrary is never used.
        Arbitrary<T[]> arrays = ArbMap.Default.MergeArb(Arb.From(Gen.Constant(default(T)!), shrinkElement)).ArbFor<T[]>();
        return Arb.From(gen, arrays.Shrinker);
    }

    private static IEnumerable<int> ShrinkInt(int value) => ArbMap.Default.ArbFor<int>().Shrinker(value);

    private static IEnumerable<int> ShrinkTowards(int target, int value)
    {
        if (value <= target)
        {
            yield break;
        }

        yield return target;
        int half = target + ((value - target) / 2);
        if (half > target && half < value)
        {
            yield return half;
        }

        if (value - 1 > half)
        {
            yield return value - 1;
        }
    }

    private static IEnumerable<ChanShape> ShrinkShape(ChanShape shape)
    {
        if (shape.Capacity is not int capacity)
        {
            yield break;
        }

        yield return ChanShape.Unbounded;
        foreach (int smaller in ShrinkTowards(1, capacity))
        {
            yield return ChanShape.Bounded(smaller);
        }
    }
}
