namespace Flow.Tests.Channels;

public class SmokeTests
{
    [Fact]
    public async Task Send_ThenRecvAsync_DeliversInOrder()
    {
        var (port, chan) = Chan.New<int>();
        chan.Send(1);
        chan.Send(2);
        chan.Close();

        Assert.Equal(1, await port.RecvAsync());
        Assert.Equal(2, await port.RecvAsync());
        var closed = await Assert.ThrowsAsync<ChannelClosedException>(async () => await port.RecvAsync());
        Assert.Null(closed.InnerException);
    }
}
