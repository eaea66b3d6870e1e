namespace Flow.Tests.Channels;

/// <summary>The factories' argument checks and what they hand out.</summary>
public sealed class ChanFactoryTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void New_NegativeCapacity_ThrowsArgumentOutOfRange(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Chan.New<int>(capacity));
        Assert.Throws<ArgumentOutOfRangeException>(() => SharedChan.New<int>(capacity));
        Assert.Throws<ArgumentOutOfRangeException>(() => DuplexStream.New<int, int>(capacity));
    }

    [Fact]
    public void New_ReportsItsCapacityOnBothEnds()
    {
        var (unboundedPort, unbounded) = Chan.New<int>();
        var (boundedPort, bounded) = Chan.New<int>(3);
        var (rendezvousPort, rendezvous) = Chan.New<int>(0);
        var (sharedPort, shared) = SharedChan.New<int>(5);

        Assert.Equal((null, null), (unboundedPort.Capacity, unbounded.Capacity));
        Assert.Equal((3, 3), (boundedPort.Capacity, bounded.Capacity));
        Assert.Equal((0, 0), (rendezvousPort.Capacity, rendezvous.Capacity));
        Assert.Equal((5, 5), (sharedPort.Capacity, shared.Capacity));
        Assert.Equal(1, shared.SenderCount);
    }

    [Fact]
    public void New_HugeCapacity_CostsNothingUntilUsed()
    {
        var (port, chan) = Chan.New<int>(int.MaxValue);

        Assert.True(chan.TrySend(1));
        Assert.True(port.TryRecv(out int message));
        Assert.Equal(1, message);
    }
}
