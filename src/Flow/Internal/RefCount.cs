namespace Flow;

/// <summary>Counts of live handles that end once at zero (shared chan clones, arc handles).</summary>
internal static class RefCount
{
    /// <summary>
    /// Adds one to <paramref name="count"/> unless it already reached zero, which is final: a count
    /// never rises again from zero, so whatever zero triggers happens once.
    /// </summary>
    /// <returns>False when the count was zero.</returns>
    /// <exception cref="InvalidOperationException">The count would overflow; <paramref name="what"/> names the handles that leak.</exception>
    public static bool TryAddIfLive(ref int count, string what)
    {
        int current = Volatile.Read(ref count);
        while (current > 0)
        {
            // Like crossbeam's counter: a count this high means handles leak; refuse rather than wrap.
            if (current == int.MaxValue)
            {
                throw new InvalidOperationException($"Too many live {what} (int.MaxValue): handles are being cloned without being closed or disposed.");
            }

            int seen = Interlocked.CompareExchange(ref count, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }
}
