using FsCheck;
using FsCheck.Fluent;

namespace Flow.Properties.Generators;

/// <summary>How long a stage function takes on one item. Small on purpose: the laws stay fast.</summary>
public enum Pause
{
    /// <summary>Returns at once (the stage's task is already complete).</summary>
    None,

    /// <summary>Yields once, so the item finishes on another turn of the thread pool.</summary>
    Yield,

    /// <summary>Waits 1 ms.</summary>
    OneMs,

    /// <summary>Waits 2 ms.</summary>
    TwoMs,
}

/// <summary>One input item of a pipeline law: its value, how long the stage takes on it, and whether the stage throws on it.</summary>
/// <param name="Value">The value.</param>
/// <param name="Pause">How long the stage function takes.</param>
/// <param name="Fails">Whether the stage function throws on it.</param>
public readonly record struct Item(int Value, Pause Pause, bool Fails)
{
    /// <summary>Waits as long as <see cref="Pause"/> says.</summary>
    /// <returns>Completes when the pause is over.</returns>
    public async Task PauseAsync()
    {
        switch (Pause)
        {
            case Pause.Yield:
                await Task.Yield();
                break;
            case Pause.OneMs:
                await Task.Delay(1).ConfigureAwait(false);
                break;
            case Pause.TwoMs:
                await Task.Delay(2).ConfigureAwait(false);
                break;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Value}{(Pause == Pause.None ? string.Empty : $"/{Pause}")}{(Fails ? "!" : string.Empty)}";
}

/// <summary>The shape of the stage under test: its parallelism and capacity.</summary>
/// <param name="Parallelism">1..8.</param>
/// <param name="Capacity">Null for unbounded, otherwise 1..8.</param>
public readonly record struct StageShape(int Parallelism, int? Capacity)
{
    /// <inheritdoc />
    public override string ToString() => $"parallelism {Parallelism}, capacity {Capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "∞"}";
}

/// <summary>
/// The generators of the pipeline laws. Inputs are short (at most <see cref="MaxItems"/> items) and
/// pauses mostly none, so a run takes milliseconds; everything shrinks towards fewer items, no
/// pauses, no failures, parallelism 1 and an unbounded stage.
/// </summary>
public static class PipelineArbs
{
    /// <summary>The longest input a law is run on.</summary>
    public const int MaxItems = 40;

    private static readonly Gen<Pause> s_pauses = Gen.Frequency(
        (6, Gen.Constant(Pause.None)),
        (2, Gen.Constant(Pause.Yield)),
        (1, Gen.Constant(Pause.OneMs)),
        (1, Gen.Constant(Pause.TwoMs)));

    /// <summary>Inputs that never fail.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<Item[]> Items() => ItemsFailingOneIn(0);

    /// <summary>Inputs of which about one in <paramref name="oneIn"/> fails (none when 0).</summary>
    /// <param name="oneIn">How rare failures are; 0 for none.</param>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<Item[]> ItemsFailingOneIn(int oneIn)
    {
        Gen<bool> fails = oneIn == 0 ? Gen.Constant(false) : Gen.Frequency((oneIn - 1, Gen.Constant(false)), (1, Gen.Constant(true)));
        Gen<Item> item = Gen.Zip(
            Gen.Zip(ArbMap.Default.GeneratorFor<int>(), s_pauses, (value, pause) => (value, pause)),
            fails,
            (vp, f) => new Item(vp.value, vp.pause, f));
        Gen<Item[]> items = Gen.Choose(0, MaxItems).SelectMany(length => Gen.ArrayOf(item, length));
        return Arb.From(items, ShrinkItems);
    }

    /// <summary>Parallelism 1..8 and capacity unbounded or 1..8.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<StageShape> Shapes()
    {
        Gen<int?> capacity = Gen.Frequency(
            (1, Gen.Constant<int?>(null)),
            (1, Gen.Choose(1, 8).Select(c => (int?)c)));
        Gen<StageShape> shapes = Gen.Zip(Gen.Choose(1, 8), capacity, (p, c) => new StageShape(p, c));
        return Arb.From(shapes, ShrinkShape);
    }

    private static IEnumerable<StageShape> ShrinkShape(StageShape shape)
    {
        if (shape.Capacity is not null)
        {
            yield return shape with { Capacity = null };
        }

        if (shape.Parallelism > 1)
        {
            yield return shape with { Parallelism = 1 };
            yield return shape with { Parallelism = shape.Parallelism / 2 };
        }
    }

    private static IEnumerable<Item[]> ShrinkItems(Item[] items)
    {
        // Halves first, then one item less, then plainer items.
        if (items.Length > 1)
        {
            yield return items[..(items.Length / 2)];
            yield return items[(items.Length / 2)..];
        }

        for (int i = 0; i < items.Length; i++)
        {
            yield return [.. items[..i], .. items[(i + 1)..]];
        }

        for (int i = 0; i < items.Length; i++)
        {
            Item item = items[i];
            if (item.Pause != Pause.None)
            {
                yield return [.. items[..i], item with { Pause = Pause.None }, .. items[(i + 1)..]];
            }

            if (item.Fails)
            {
                yield return [.. items[..i], item with { Fails = false }, .. items[(i + 1)..]];
            }

            if (item.Value != 0)
            {
                yield return [.. items[..i], item with { Value = 0 }, .. items[(i + 1)..]];
            }
        }
    }
}
