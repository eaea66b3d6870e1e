using System.Threading.Tasks.Dataflow;

namespace Flow;

/// <summary>
/// Makes a port a Dataflow source: links, offers, reservations and completion propagation, on top
/// of the port's own core. Created the first time the port is used as a Dataflow block.
/// </summary>
/// <remarks>
/// <para>
/// Dataflow's protocol offers one message at a time and lets a target postpone it and come back
/// for it later. So the adapter takes the port's next message into <see cref="_held"/> and offers
/// it to the links in order; the held message stays the head of the port until a target accepts
/// or consumes it, and a plain <c>Recv</c> takes it first, so the port's order is never broken.
/// </para>
/// <para>
/// While links exist the adapter is the port's receiver: it parks in the core's waiter slot and
/// is woken like any receiver. Offers run on a runtime work item, outside the adapter's lock,
/// because targets call back into <see cref="ConsumeMessage"/> and <see cref="ReserveMessage"/>.
/// </para>
/// </remarks>
internal sealed class PortSource<T> : IThreadPoolWorkItem
{
    private readonly ChanCore<T> _core;
    private readonly Lock _lock = new();
    private readonly Waiter _waiter;

    /// <summary>The links, in offer order; guarded by <see cref="_lock"/>.</summary>
    private readonly List<Link> _links = [];

    /// <summary>The message taken from the core and not yet accepted; guarded by <see cref="_lock"/>.</summary>
    private T _held = default!;

    /// <summary>1 while <see cref="_held"/> holds a message; written under the lock, read without it on the receive fast path.</summary>
    private int _hasHeld;

    /// <summary>The Dataflow id of <see cref="_held"/>; guarded by <see cref="_lock"/>.</summary>
    private long _heldId;

    /// <summary>The target that reserved <see cref="_held"/>, or null; guarded by <see cref="_lock"/>.</summary>
    private ITargetBlock<T>? _reservedBy;

    /// <summary>
    /// True while <see cref="_held"/> is being offered outside the lock; written under it, read
    /// without it by a receive that waits the offer out. A target may accept inside its offer, and
    /// the held slot is cleared only after the offer returns: a receive meanwhile must not take the
    /// message a second time.
    /// </summary>
    private volatile bool _offering;

    /// <summary>The last id handed out; guarded by <see cref="_lock"/>.</summary>
    private long _lastId;

    /// <summary>True while an offer round is scheduled or running; guarded by <see cref="_lock"/>.</summary>
    private bool _pumping;

    /// <summary>True while <see cref="_waiter"/> is parked in the core (the receiver guard is held); guarded by <see cref="_lock"/>.</summary>
    private bool _parked;

    /// <summary>Set when something changed while a round was running, so it looks again; guarded by <see cref="_lock"/>.</summary>
    private bool _again;

    /// <summary>The port as a Dataflow source, passed to targets as the offering block.</summary>
    private ISourceBlock<T>? _block;

    public PortSource(ChanCore<T> core)
    {
        _core = core;
        _waiter = new Waiter(this);
    }

    public bool HasHeld => Volatile.Read(ref _hasHeld) != 0;

    /// <summary>Binds the public block that targets see as the source of offers.</summary>
    public void Bind(ISourceBlock<T> block) => _block ??= block;

    /// <summary>
    /// What a plain receive finds in the held slot: nothing (take from the core), the message
    /// (taken now, so the port's order holds), or a message a target reserved — then the receive
    /// takes nothing, since the next message of the core would overtake it.
    /// </summary>
    public HeldResult TryTakeHeld(out T? item)
    {
        item = default;
        if (Volatile.Read(ref _hasHeld) == 0)
        {
            return HeldResult.None;
        }

        // An offer is a short synchronous call: wait it out rather than race it. This is also
        // how a receive right after DataflowBlock.ReceiveAsync returned never sees that message.
        var spin = default(SpinWait);
        while (_offering)
        {
            spin.SpinOnce();
        }

        lock (_lock)
        {
            if (_hasHeld == 0)
            {
                return HeldResult.None;
            }

            if (_reservedBy is not null || _offering)
            {
                return HeldResult.Blocked;
            }

            item = TakeHeldLocked();
            return HeldResult.Taken;
        }
    }

    /// <summary>What the held slot means for a receiver looking without taking.</summary>
    public HeldResult HeldState
    {
        get
        {
            if (Volatile.Read(ref _hasHeld) == 0)
            {
                return HeldResult.None;
            }

            lock (_lock)
            {
                return _hasHeld == 0 ? HeldResult.None : _reservedBy is not null || _offering ? HeldResult.Blocked : HeldResult.Taken;
            }
        }
    }

    /// <summary>Disposes the held message when the port is disposed.</summary>
    public void DisposeHeld()
    {
        T item;
        lock (_lock)
        {
            if (_hasHeld == 0)
            {
                return;
            }

            item = TakeHeldLocked();
            _reservedBy = null;
        }

        if (item is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>The core ended or changed hands; let the offer loop look again.</summary>
    public void OnCoreChanged()
    {
        lock (_lock)
        {
            SchedulePumpLocked();
        }
    }

    public IDisposable LinkTo(ITargetBlock<T> target, DataflowLinkOptions linkOptions)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(linkOptions);
        var link = new Link(this, target, linkOptions);
        lock (_lock)
        {
            if (linkOptions.Append)
            {
                _links.Add(link);
            }
            else
            {
                _links.Insert(0, link);
            }

            SchedulePumpLocked();
        }

        return link;
    }

    public bool TryReceive(Predicate<T>? filter, [MaybeNullWhen(false)] out T item)
    {
        lock (_lock)
        {
            if (_hasHeld == 0)
            {
                if (!_core.TryTakeForSource(out T? next))
                {
                    item = default;
                    _core.OnSourceDrained();
                    return false;
                }

                HoldLocked(next);
            }

            if (_reservedBy is null && (filter is null || filter(_held)))
            {
                item = TakeHeldLocked();

                // That may have been the last message of a closed port.
                _core.OnSourceDrained();
                return true;
            }

            SchedulePumpLocked();
            item = default;
            return false;
        }
    }

    public bool TryReceiveAll([NotNullWhen(true)] out IList<T>? items)
    {
        var list = new List<T>();
        while (TryReceive(null, out T? item))
        {
            list.Add(item);
        }

        items = list.Count > 0 ? list : null;
        return items is not null;
    }

    public T? ConsumeMessage(DataflowMessageHeader messageHeader, ITargetBlock<T> target, out bool messageConsumed)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_lock)
        {
            if (_hasHeld != 0 && _heldId == messageHeader.Id && (_reservedBy is null || _reservedBy == target))
            {
                _reservedBy = null;
                messageConsumed = true;
                T item = TakeHeldLocked();

                // A consumed message counts toward its link's MaxMessages, as an accepted offer
                // does. Under the lock, so the offer loop never offers over a used-up link.
                CountConsumedLocked(target);
                return item;
            }
        }

        messageConsumed = false;
        return default;
    }

    public bool ReserveMessage(DataflowMessageHeader messageHeader, ITargetBlock<T> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_lock)
        {
            if (_hasHeld != 0 && _heldId == messageHeader.Id && _reservedBy is null)
            {
                _reservedBy = target;
                return true;
            }
        }

        return false;
    }

    public void ReleaseReservation(DataflowMessageHeader messageHeader, ITargetBlock<T> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_lock)
        {
            if (_hasHeld == 0 || _heldId != messageHeader.Id || _reservedBy != target)
            {
                throw new InvalidOperationException("The message was not reserved by this target.");
            }

            _reservedBy = null;
            SchedulePumpLocked();
        }

        // A plain receiver that found the message reserved may take it now.
        _core.WakeParkedReceiver();
    }

    private void HoldLocked(T item)
    {
        _held = item;
        _heldId = ++_lastId;
        Volatile.Write(ref _hasHeld, 1);
    }

    private T TakeHeldLocked()
    {
        T item = _held;
        _held = default!;
        Volatile.Write(ref _hasHeld, 0);

        // The next message may already be waiting for the links, and the port may now be drained.
        SchedulePumpLocked();
        return item;
    }

    private void SchedulePumpLocked()
    {
        if (_pumping)
        {
            // A round is running; it must look again before it stops.
            _again = true;
        }
        else if (_links.Count > 0)
        {
            _pumping = true;
            _again = false;
            FlowRuntime.Current.Schedule(this);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            Link[]? links = null;
            Link[]? ending = null;
            Exception? failure = null;
            T item = default!;
            long id = 0;
            lock (_lock)
            {
                _again = false;
                if (_hasHeld == 0 && (_links.Count == 0 || !TakeNextLocked()))
                {
                    ending = FinishRoundLocked(out failure);
                    if (_again)
                    {
                        continue;
                    }

                    _pumping = false;
                }
                else if (_links.Count == 0 || _reservedBy is not null)
                {
                    _pumping = false;
                    return;
                }
                else
                {
                    links = [.. _links];
                    item = _held;
                    id = _heldId;
                    _offering = true;
                }
            }

            if (links is null)
            {
                // Outside the lock: a target's Complete or Fault may call back into the port.
                foreach (Link link in ending ?? [])
                {
                    link.PropagateEnd(failure);
                }

                return;
            }

            bool gone = Offer(links, item, id);
            bool stop;
            lock (_lock)
            {
                _offering = false;

                // Declined or postponed by every link: wait for a consume, a release or a new link.
                stop = !gone && _hasHeld != 0 && _heldId == id && !_again;
                if (stop)
                {
                    _pumping = false;
                }
            }

            if (!gone)
            {
                // A plain receiver that waited out the offer may take the message now.
                _core.WakeParkedReceiver();
            }

            if (stop)
            {
                return;
            }
        }
    }

    private bool TakeNextLocked()
    {
        if (!_core.TryTakeForSource(out T? next))
        {
            return false;
        }

        HoldLocked(next);
        return true;
    }

    /// <summary>Offers the held message to each link in order. True when one accepted it or it is gone.</summary>
    private bool Offer(Link[] links, T item, long id)
    {
        var header = new DataflowMessageHeader(id);
        foreach (Link link in links)
        {
            DataflowMessageStatus status = link.Target.OfferMessage(header, item, _block!, consumeToAccept: false);
            switch (status)
            {
                case DataflowMessageStatus.Accepted:
                    lock (_lock)
                    {
                        if (_hasHeld != 0 && _heldId == id)
                        {
                            _reservedBy = null;
                            TakeHeldLocked();
                        }
                    }

                    link.OnAccepted();
                    _core.OnSourceDrained();
                    return true;
                case DataflowMessageStatus.DecliningPermanently:
                    link.Dispose();
                    break;
                case DataflowMessageStatus.NotAvailable:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Nothing to offer: park on the core, or return the links that must learn of its end.
    /// Called with the lock held.
    /// </summary>
    private Link[]? FinishRoundLocked(out Exception? failure)
    {
        if (_core.Poll(take: false, out _, out failure) == PollResult.Ended)
        {
            Unpark();
            _core.OnSourceDrained();
            return [.. _links];
        }

        if (_links.Count == 0)
        {
            Unpark();
            return null;
        }

        if (!_parked)
        {
            try
            {
                _core.EnterReceiving();
            }
            catch (InvalidOperationException misuse)
            {
                // Another receiver waits on the port while it is linked: that is two receivers.
                foreach (Link link in _links.ToArray())
                {
                    link.Target.Fault(misuse);
                    link.Dispose();
                }

                return null;
            }

            _parked = true;
            if (!_core.TryRegister(_waiter))
            {
                // Something arrived meanwhile: go round again instead of parking.
                _parked = false;
                _core.ExitReceiving();
                _again = true;
            }
        }

        return null;
    }

    private void Unpark()
    {
        if (_parked && _core.TryUnregister(_waiter))
        {
            _parked = false;
            _core.ExitReceiving();
        }
    }

    private void OnNotified()
    {
        lock (_lock)
        {
            if (_parked)
            {
                _parked = false;
                _core.ExitReceiving();
            }

            SchedulePumpLocked();
        }
    }

    private void CountConsumedLocked(ITargetBlock<T> target)
    {
        Link? link = _links.Find(l => l.Target == target);
        if (link is not null && link.CountMessage() && link.MarkDisposed())
        {
            _links.Remove(link);
            if (_links.Count == 0)
            {
                Unpark();
            }
        }
    }

    private void RemoveLink(Link link)
    {
        lock (_lock)
        {
            if (_links.Remove(link) && _links.Count == 0)
            {
                // No one to offer to: stop being the port's receiver, so a plain Recv works again.
                Unpark();
            }
        }
    }

    /// <summary>The adapter parked in the core's slot.</summary>
    private sealed class Waiter(PortSource<T> owner) : ReceiveWaiter
    {
        public override void Notify() => owner.OnNotified();
    }

    /// <summary>One link: its target, its remaining message budget, and whether it gets the port's end.</summary>
    private sealed class Link(PortSource<T> owner, ITargetBlock<T> target, DataflowLinkOptions options) : IDisposable
    {
        private int _remaining = options.MaxMessages;
        private int _disposed;
        private int _endPropagated;

        public ITargetBlock<T> Target { get; } = target;

        public void OnAccepted()
        {
            if (CountMessage())
            {
                Dispose();
            }
        }

        /// <summary>Counts one message taken over this link; true when that used up its MaxMessages.</summary>
        public bool CountMessage() => _remaining != DataflowBlockOptions.Unbounded && Interlocked.Decrement(ref _remaining) <= 0;

        /// <summary>Marks the link disposed by its owner, who removes it; false when it already was.</summary>
        public bool MarkDisposed() => Interlocked.Exchange(ref _disposed, 1) == 0;

        public void PropagateEnd(Exception? failure)
        {
            if (!options.PropagateCompletion || Interlocked.Exchange(ref _endPropagated, 1) != 0)
            {
                return;
            }

            if (failure is null)
            {
                Target.Complete();
            }
            else
            {
                Target.Fault(failure);
            }
        }

        public void Dispose()
        {
            if (MarkDisposed())
            {
                owner.RemoveLink(this);
            }
        }
    }
}
