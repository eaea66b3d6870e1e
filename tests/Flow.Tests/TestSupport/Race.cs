using System.Globalization;

namespace Flow.Tests;

/// <summary>How hard the stress tests push: counts are multiplied by <c>FLOW_STRESS_SCALE</c> (default 1).</summary>
internal static class StressScale
{
    public static double Scale { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("FLOW_STRESS_SCALE"), NumberStyles.Float, CultureInfo.InvariantCulture, out double scale) && scale > 0
            ? scale
            : 1;

    /// <summary><paramref name="baseCount"/> scaled, at least 1.</summary>
    public static int Count(int baseCount) => Math.Max(1, (int)(baseCount * Scale));

    /// <summary>A bound for a whole stress run: generous, and growing with the scale.</summary>
    public static TimeSpan RunTimeout => TimeSpan.FromSeconds(60 * Math.Max(1, Scale));
}

/// <summary>
/// Races released together by a barrier, repeated (cf. dotnet/runtime's
/// <c>Completion_CompletesAfterConcurrentTryReadAndTryComplete</c>). Each action runs on its own
/// thread and may first spin a random few cycles, so the actions overlap at a different point
/// each time. States are built up front; checks run after every iteration ran.
/// </summary>
internal static class Race
{
    public static async Task Repeat<TState>(int iterations, Func<int, TState> setup, Func<TState, Task> check, params Action<TState>[] actions)
    {
        var states = new TState[iterations];
        for (int i = 0; i < iterations; i++)
        {
            states[i] = setup(i);
        }

        using var barrier = new Barrier(actions.Length);
        Task[] runs = [.. actions.Select((act, seed) => Bounded.OnThread(() => Run(states, barrier, act, seed)).Task)];
        await Task.WhenAll(runs).WaitAsync(StressScale.RunTimeout);

        for (int i = 0; i < iterations; i++)
        {
            try
            {
                await check(states[i]).WaitAsync(Bounded.Timeout);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"Race iteration {i} of {iterations} ended wrong: {e.Message}", e);
            }
        }
    }

    /// <inheritdoc cref="Repeat{TState}(int, Func{int, TState}, Func{TState, Task}, Action{TState}[])"/>
    public static Task Repeat<TState>(int iterations, Func<int, TState> setup, Action<TState> check, params Action<TState>[] actions) =>
        Repeat(
            iterations,
            setup,
            s =>
            {
                check(s);
                return Task.CompletedTask;
            },
            actions);

    private static void Run<TState>(TState[] states, Barrier barrier, Action<TState> act, int seed)
    {
        var random = new Random(seed);
        try
        {
            foreach (TState state in states)
            {
                if (!barrier.SignalAndWait(Bounded.Timeout))
                {
                    throw new TimeoutException("Another side of the race never arrived.");
                }

                Thread.SpinWait(random.Next(0, 48));
                act(state);
            }
        }
        catch
        {
            // Let the other sides finish instead of waiting for us at the barrier.
            barrier.RemoveParticipant();
            throw;
        }
    }
}
