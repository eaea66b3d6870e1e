using Flow.Analyzers.Tests.Infrastructure;

namespace Flow.Analyzers.Tests;

public class Flow001Tests
{
    [Fact]
    public Task SecondCapture_Reports()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    Spawn(() => chan.Send(1));
                    Spawn(() => {|#0:chan|}.Send(2));
                    port.Recv();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(
            source,
            Verify.Diagnostic("FLOW001").WithLocation(0).WithArguments("chan", "is a Chan already owned by the task spawned on line 13", "make it a SharedChan and hand each task its own Clone()"));
    }
}
