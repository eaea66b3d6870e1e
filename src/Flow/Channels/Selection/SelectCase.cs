namespace Flow;

/// <summary>One case of a <see cref="SelectBuilder"/>, typed by its port's messages.</summary>
internal abstract class SelectCase
{
    /// <summary>The port's core, as the engine sees it.</summary>
    public abstract ISelectable Source { get; }

    /// <summary>Takes the port's message and binds the action to run; false when it had none after all.</summary>
    public abstract bool TryTake(out Action chosen);
}

/// <summary>A case over a <see cref="Port{T}"/>.</summary>
internal sealed class SelectCase<T>(ChanCore<T> core, int index, Action<T> onMessage, Action? onClosed) : SelectCase
{
    public override ISelectable Source => core;

    public override bool TryTake(out Action chosen)
    {
        switch (core.Poll(take: true, out T? message, out Exception? failure))
        {
            case PollResult.Message:
                chosen = () => onMessage(message!);
                return true;
            case PollResult.Ended:
                if (onClosed is not null && !core.IsReceiverGone)
                {
                    chosen = onClosed;
                    return true;
                }

                Exception closed = core.IsReceiverGone ? core.EndedException(failure) : ChannelClosedException.ClosedInSelect(index, failure);
                chosen = () => throw closed;
                return true;
            default:
                chosen = null!;
                return false;
        }
    }
}
