using System.Diagnostics.CodeAnalysis;
using Xunit.Sdk;

namespace Flow.Properties.Support;

/// <summary>
/// The steps a model-based law ran, as run (with the handle numbers resolved), so a failure shows
/// the script up to the step that broke the law.
/// </summary>
/// <param name="setup">The channel and handles the script runs against.</param>
public sealed class Trace(string setup)
{
    private readonly List<string> _steps = [];

    /// <summary>Records the step about to run.</summary>
    /// <param name="step">The step.</param>
    public void Step(string step) => _steps.Add(step);

    /// <summary>Fails with the trace unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="what">The expectation that must hold.</param>
    public void Check([DoesNotReturnIf(false)] bool condition, string what)
    {
        if (!condition)
        {
            throw Violation(what);
        }
    }

    /// <summary>Fails with the trace unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="expected">What the model says.</param>
    /// <param name="actual">What the channel did.</param>
    /// <param name="what">What the values are.</param>
    public void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw Violation($"{what}: the model says {expected}, the channel says {actual}");
        }
    }

    /// <summary>Runs <paramref name="action"/>, failing with the trace unless it throws <typeparamref name="TException"/>.</summary>
    /// <typeparam name="TException">The expected exception.</typeparam>
    /// <param name="action">The action.</param>
    /// <param name="what">What the action is.</param>
    /// <returns>The exception thrown.</returns>
    public TException Throws<TException>(Action action, string what)
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
            throw Violation($"{what}: expected {typeof(TException).Name}, got {e.GetType().Name}: {e.Message}");
        }

        throw Violation($"{what}: expected {typeof(TException).Name}, but nothing was thrown");
    }

    /// <summary>The failure to throw, with the trace.</summary>
    /// <param name="what">What went wrong.</param>
    /// <returns>The exception.</returns>
    public XunitException Violation(string what) =>
        new($"{what}.{Environment.NewLine}On {setup}, after: {string.Join("; ", _steps)}");
}
