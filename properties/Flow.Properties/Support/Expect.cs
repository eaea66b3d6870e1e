using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Xunit.Sdk;

namespace Flow.Properties.Support;

/// <summary>Checks inside a law. A failure throws with a message that says what was expected and what happened.</summary>
public static class Expect
{
    /// <summary>Fails with <paramref name="what"/> unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="what">What the condition means, phrased as the expectation.</param>
    public static void That([DoesNotReturnIf(false)] bool condition, string what)
    {
        if (!condition)
        {
            throw new XunitException(what);
        }
    }

    /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="expected">The expected value.</param>
    /// <param name="actual">The actual value.</param>
    /// <param name="what">What the values are.</param>
    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new XunitException($"{what}: expected {expected}, got {actual}.");
        }
    }

    /// <summary>Fails unless <paramref name="actual"/> is <paramref name="expected"/>, element by element.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="what">What the sequences are.</param>
    public static void Sequence<T>(IEnumerable<T> expected, IEnumerable<T> actual, string what)
    {
        T[] e = [.. expected];
        T[] a = [.. actual];
        if (!e.SequenceEqual(a))
        {
            throw new XunitException($"{what}: expected {Show(e)}, got {Show(a)}.");
        }
    }

    /// <summary>Fails unless <paramref name="action"/> throws <typeparamref name="TException"/> (or a subclass).</summary>
    /// <typeparam name="TException">The expected exception.</typeparam>
    /// <param name="action">The action.</param>
    /// <param name="what">What the action is.</param>
    /// <returns>The exception thrown.</returns>
    public static TException Throws<TException>(Action action, string what)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            action();
        }
        catch (TException e)
        {
            return e;
        }
        catch (Exception e) when (e is not XunitException)
        {
            throw new XunitException($"{what}: expected {typeof(TException).Name}, got {e.GetType().Name}: {e.Message}");
        }

        throw new XunitException($"{what}: expected {typeof(TException).Name}, but nothing was thrown.");
    }

    /// <summary>Renders a sequence as <c>[1, 2, 3]</c>, cut after 40 items.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The items.</param>
    /// <returns>The text.</returns>
    public static string Show<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        const int Shown = 40;
        T[] all = [.. items];
        string head = string.Join(", ", all.Take(Shown).Select(i => string.Format(CultureInfo.InvariantCulture, "{0}", i)));
        return all.Length > Shown ? $"[{head}, … ({all.Length} items)]" : $"[{head}]";
    }
}
