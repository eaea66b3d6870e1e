using System.Linq.Expressions;
using System.Reflection;
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
/// <typeparam name="TState">The state's type; how to release it is worked out once per type.</typeparam>
/// <remarks>
/// The release is compiled once per state type, so ending a task never boxes its state: a value
/// tuple's items are read as fields, and a state that can hold no channel end (an int, a string,
/// a tuple of those) costs nothing at all.
/// </remarks>
internal static class Ownership<TState>
{
    // Declared first: static fields initialize in order, and BuildRelease needs it.
    private static readonly MethodInfo s_endItem = typeof(Ownership<TState>).GetMethod(nameof(EndItem), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly Action<TState, Exception?>? s_release = BuildRelease();

    public static void Release(TState state, Exception? failure) => s_release?.Invoke(state, failure);

    private static Action<TState, Exception?>? BuildRelease()
    {
        Type type = typeof(TState);
        if (!type.IsValueType)
        {
            // A class or interface may be (or hold at run time) a channel end: look at the value.
            return type.IsSealed && !typeof(IOwnedEnd).IsAssignableFrom(type) && !typeof(ITuple).IsAssignableFrom(type) ? null : ReleaseObject;
        }

        if (!IsValueTuple(type))
        {
            return null;
        }

        ParameterExpression state = Expression.Parameter(type, "state");
        ParameterExpression failure = Expression.Parameter(typeof(Exception), "failure");
        var ends = new List<Expression>();
        AddEnds(state, ends);
        if (ends.Count == 0)
        {
            return null;
        }

        var calls = ends.Select(end => (Expression)Expression.Call(s_endItem, Expression.Convert(end, typeof(object)), failure));
        return Expression.Lambda<Action<TState, Exception?>>(Expression.Block(calls), state, failure).Compile();
    }

    /// <summary>The tuple's items that may hold a channel end, nested tuples (and Rest) included.</summary>
    private static void AddEnds(Expression tuple, List<Expression> ends)
    {
        foreach (FieldInfo field in tuple.Type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            Type item = field.FieldType;
            if (item.IsValueType)
            {
                if (IsValueTuple(item))
                {
                    AddEnds(Expression.Field(tuple, field), ends);
                }
            }
            else if (!item.IsSealed || typeof(IOwnedEnd).IsAssignableFrom(item))
            {
                ends.Add(Expression.Field(tuple, field));
            }
        }
    }

    private static bool IsValueTuple(Type type) =>
        type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal);

    private static void EndItem(object? item, Exception? failure) => (item as IOwnedEnd)?.EndOwned(failure);

    private static void ReleaseObject(TState state, Exception? failure)
    {
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
}
