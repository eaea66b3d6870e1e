using System.Runtime.CompilerServices;

namespace Flow;

/// <summary>An end of a channel that a task can own: it is ended when the owning task ends.</summary>
internal interface IOwnedEnd
{
    /// <summary>Completes (failure null) or fails a sending end; disposes a receiving end.</summary>
    void EndOwned(Exception? failure);
}

/// <summary>
/// Move semantics for <c>Spawn(state, body)</c>: the channel ends in the state (the state itself,
/// or the items of a value tuple) are ended when the task ends — completed on success, failed with
/// the task's exception on failure — so a receiver learns why its sender died.
/// </summary>
/// <typeparam name="TState">The state's type; decided once per type whether it can own anything.</typeparam>
internal static class Ownership<TState>
{
    /// <summary>False for states that can hold no channel end (an int, a string), so their release costs nothing.</summary>
    private static readonly bool s_mayOwn = MayOwn(typeof(TState));

    public static void Release(TState state, Exception? failure)
    {
        if (!s_mayOwn || state is null)
        {
            return;
        }

        if (state is IOwnedEnd owned)
        {
            owned.EndOwned(failure);
        }
        else if (state is ITuple tuple)
        {
            for (int i = 0; i < tuple.Length; i++)
            {
                (tuple[i] as IOwnedEnd)?.EndOwned(failure);
            }
        }
    }

    private static bool MayOwn(Type type)
    {
        if (typeof(IOwnedEnd).IsAssignableFrom(type))
        {
            return true;
        }

        if (type.IsValueType)
        {
            // Only a value tuple can carry ends inside a value type.
            return typeof(ITuple).IsAssignableFrom(type) && type.GetGenericArguments().Any(MayOwn);
        }

        // A sealed class that is not an end never is one; anything else may be at run time.
        return !type.IsSealed;
    }
}
