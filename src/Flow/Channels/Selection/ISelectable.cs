namespace Flow;

/// <summary>What a select needs of a port, whatever its message type.</summary>
internal interface ISelectable
{
    /// <summary>True when a receive would not wait: a message is there, or the port ended.</summary>
    bool IsReady { get; }

    /// <summary>Marks the select as the port's receiver; throws when another receiver waits.</summary>
    void EnterReceiving();

    /// <summary>Ends <see cref="EnterReceiving"/>.</summary>
    void ExitReceiving();

    /// <summary>Parks <paramref name="waiter"/>; false (not parked) when the port became ready.</summary>
    bool TryRegister(ReceiveWaiter waiter);

    /// <summary>Takes <paramref name="waiter"/> back; false when a notify already claimed it.</summary>
    bool TryUnregister(ReceiveWaiter waiter);
}
