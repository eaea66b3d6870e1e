using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// The Dataflow target half of a chan or shared chan: accepts offers while there is room, and
/// postpones them while a bounded channel is full, fetching them in order once it drains.
/// </summary>
/// <remarks>
/// Created only when an offer has to be postponed. While anything is postponed, later offers
/// queue behind it, so a linked source's order is kept.
/// </remarks>
internal sealed class ChanTarget<T> : IThreadPoolWorkItem
{
    private readonly ITargetBlock<T> _owner;
    private readonly ChanCore<T> _core;
    private readonly Lock _lock = new();

    /// <summary>The delivering loop's own sender waiter: it sends beside the handle's owner.</summary>
    private readonly SendWaiter<T> _waiter = new(shared: true);

    /// <summary>Offers waiting for room, oldest first; guarded by <see cref="_lock"/>.</summary>
    private readonly Queue<Postponed> _postponed = new();

    /// <summary>True while the delivering loop runs; guarded by <see cref="_lock"/>.</summary>
    private bool _delivering;

    /// <summary>A Complete or Fault that came while offers were still being delivered; guarded by <see cref="_lock"/>.</summary>
    private Action? _pendingEnd;

    private ChanTarget(ITargetBlock<T> owner, ChanCore<T> core)
    {
        _owner = owner;
        _core = core;
    }

    private bool HasPostponed
    {
        get
        {
            lock (_lock)
            {
                return _postponed.Count > 0;
            }
        }
    }

    public static DataflowMessageStatus Offer(
        ref ChanTarget<T>? target,
        ITargetBlock<T> owner,
        ChanCore<T> core,
        bool closed,
        DataflowMessageHeader messageHeader,
        T messageValue,
        ISourceBlock<T>? source,
        bool consumeToAccept)
    {
        if (!messageHeader.IsValid)
        {
            throw new ArgumentException("The message header is not valid.", nameof(messageHeader));
        }

        if (source is null && consumeToAccept)
        {
            throw new ArgumentException("consumeToAccept requires a source to consume from.", nameof(consumeToAccept));
        }

        if (closed)
        {
            return DataflowMessageStatus.DecliningPermanently;
        }

        ChanTarget<T>? existing = Volatile.Read(ref target);
        if (existing is null || !existing.HasPostponed)
        {
            if (consumeToAccept)
            {
                messageValue = source!.ConsumeMessage(messageHeader, owner, out bool consumed)!;
                if (!consumed)
                {
                    return DataflowMessageStatus.NotAvailable;
                }
            }

            switch (core.TrySend(messageValue))
            {
                case SendStatus.Sent:
                    return DataflowMessageStatus.Accepted;
                case SendStatus.Closed:
                case SendStatus.PortGone:
                    return DataflowMessageStatus.DecliningPermanently;
            }

            if (consumeToAccept)
            {
                // Already ours: deliver it as soon as there is room.
                GetOrCreate(ref target, owner, core).Enqueue(new Postponed(null, messageHeader, messageValue));
                return DataflowMessageStatus.Accepted;
            }
        }

        if (source is null)
        {
            // A plain Post: nothing to come back to.
            return DataflowMessageStatus.Declined;
        }

        GetOrCreate(ref target, owner, core).Enqueue(new Postponed(source, messageHeader, default!));
        return DataflowMessageStatus.Postponed;
    }

    /// <summary>
    /// Ends the chan (a Dataflow Complete or Fault) once every offer it accepted was delivered: a
    /// source completes right after its last offer, and closing first would refuse that message.
    /// </summary>
    public static void EndAfterDeliveries(ChanTarget<T>? target, Action end)
    {
        if (target is null || !target.DeferEnd(end))
        {
            end();
        }
    }

    private bool DeferEnd(Action end)
    {
        lock (_lock)
        {
            if (!_delivering && _postponed.Count == 0)
            {
                return false;
            }

            _pendingEnd ??= end;
            return true;
        }
    }

    private static ChanTarget<T> GetOrCreate(ref ChanTarget<T>? target, ITargetBlock<T> owner, ChanCore<T> core)
    {
        ChanTarget<T>? existing = Volatile.Read(ref target);
        if (existing is null)
        {
            var created = new ChanTarget<T>(owner, core);
            existing = Interlocked.CompareExchange(ref target, created, null) ?? created;
        }

        return existing;
    }

    private void Enqueue(Postponed offer)
    {
        lock (_lock)
        {
            _postponed.Enqueue(offer);
            if (!_delivering)
            {
                _delivering = true;
                FlowRuntime.Current.Schedule(this);
            }
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = DeliverAsync();

    private async Task DeliverAsync()
    {
        while (true)
        {
            Postponed offer;
            Action? end = null;
            bool done = false;
            lock (_lock)
            {
                if (!_postponed.TryPeek(out offer))
                {
                    _delivering = false;
                    end = _pendingEnd;
                    _pendingEnd = null;
                    done = true;
                }
            }

            if (done)
            {
                end?.Invoke();
                return;
            }

            T value = offer.Value;
            bool have = offer.Source is null;
            if (!have)
            {
                value = offer.Source!.ConsumeMessage(offer.Header, _owner, out have)!;
            }

            if (have)
            {
                try
                {
                    await _core.SendAsync(value, _waiter, CancellationToken.None).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    // The port is gone or the chan closed: nothing more can be delivered.
                    Action? pending;
                    lock (_lock)
                    {
                        _postponed.Clear();
                        _delivering = false;
                        pending = _pendingEnd;
                        _pendingEnd = null;
                    }

                    pending?.Invoke();
                    return;
                }
            }

            lock (_lock)
            {
                _postponed.Dequeue();
            }
        }
    }

    private readonly record struct Postponed(ISourceBlock<T>? Source, DataflowMessageHeader Header, T Value);
}
