namespace Flow.Tests.Channels;

// The configurations the shared suite runs over. Each only says which channel it builds;
// the tests live in ChanTestBase (every configuration) and BoundedChanTestBase (sends can wait).

/// <summary><see cref="Chan.New{T}()"/>: unbounded, one sender.</summary>
public sealed class UnboundedChanTests : ChanTestBase
{
    protected override int? Capacity => null;
}

/// <summary><see cref="SharedChan.New{T}()"/>: unbounded, sending through a clone.</summary>
public sealed class SharedChanTests : ChanTestBase
{
    protected override int? Capacity => null;

    protected override bool IsShared => true;
}

/// <summary><see cref="Chan.New{T}(int)"/> with room for 4.</summary>
public sealed class BoundedChanTests : BoundedChanTestBase
{
    protected override int? Capacity => 4;
}

/// <summary><see cref="SharedChan.New{T}(int)"/> with room for 4, sending through a clone.</summary>
public sealed class SharedBoundedChanTests : BoundedChanTestBase
{
    protected override int? Capacity => 4;

    protected override bool IsShared => true;
}
