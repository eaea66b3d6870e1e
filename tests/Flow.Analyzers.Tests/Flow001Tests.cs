using Flow.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Flow.Analyzers.Tests;

/// <summary>FLOW001: a non-shared chan (or a duplex stream end) has one owner.</summary>
public class Flow001Tests
{
    private const string Fix = "make it a SharedChan and hand each task its own Clone()";

    private static DiagnosticResult Flow001(int location) => Verify.Diagnostic("FLOW001").WithLocation(location);

    // ---- reported ----

    [Fact]
    public Task SecondCapture_Reports_WithTheFirstSpawnAsAdditionalLocation()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    {|#1:Spawn(() => chan.Send(1))|};
                    Spawn(() => {|#0:chan|}.Send(2));
                    port.Recv();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(
            source,
            new DiagnosticResult("FLOW001", Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithLocation(1)
                .WithArguments("chan", "is a Chan already owned by the task spawned on line 13", Fix));
    }

    [Fact]
    public Task UseAfterCapture_Reports()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    Spawn(() => chan.Send(1));
                    {|#0:chan|}.Send(2);
                    port.Recv();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(
            source,
            Flow001(0).WithArguments("chan", "is a Chan owned by the task spawned on line 13, so this code cannot use it any more", Fix));
    }

    [Fact]
    public Task UseAfterHandover_Reports()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    Spawn(chan, static c => c.Send(1));
                    {|#0:chan|}.Close();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow001(0));
    }

    [Fact]
    public Task CaptureAfterTupleHandover_Reports()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    Spawn((chan, 1), static s => s.chan.Send(s.Item2));
                    Spawn(() => {|#0:chan|}.Send(2));
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow001(0));
    }

    [Fact]
    public Task AnonymousMethodCapture_Reports()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    Spawn(delegate { chan.Send(1); });
                    Spawn(delegate { {|#0:chan|}.Send(2); });
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow001(0));
    }

    [Fact]
    public Task CaptureInLoop_Reports()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    foreach (int i in Enumerable.Range(0, 3))
                    {
                        Spawn(() => {|#0:chan|}.Send(i));
                    }
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(
            source,
            Flow001(0).WithArguments("chan", "is a Chan taken by a task spawned in a loop, so every iteration's task would own it", Fix));
    }

    [Fact]
    public Task DuplexStreamEndTakenTwice_Reports()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (left, right) = DuplexStream.New<int, int>();
                    Spawn(() => right.Send(1));
                    Spawn(() => {|#0:right|}.Recv());
                    left.Recv();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(
            source,
            Flow001(0).WithArguments(
                "right",
                "is a DuplexStream end already owned by the task spawned on line 13",
                "give each task a DuplexStream of its own, or talk to the task through the other end"));
    }

    [Fact]
    public Task FutureSpawnAndTaskScopeSpawn_AreSpawns()
    {
        const string source = """
            class C
            {
                async Task M()
                {
                    var (port, chan) = Chan.New<int>();
                    Future<int> f = Future.Spawn(() => { chan.Send(1); return 1; });
                    await using var scope = new TaskScope();
                    _ = scope.Spawn(() => {|#0:chan|}.Send(2));
                    await scope.JoinAsync();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow001(0));
    }

    [Fact]
    public Task TryTakesTheChanToo()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    Result r = Try(() => chan.Send(1));
                    {|#0:chan|}.Send(2);
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow001(0));
    }

    [Fact]
    public Task ChanParameter_CapturedThenUsed_Reports()
    {
        const string source = """
            class C
            {
                void M(Chan<int> chan)
                {
                    Spawn(() => chan.Send(1));
                    {|#0:chan|}.Send(2);
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow001(0));
    }

    [Fact]
    public Task TopLevelStatements_Report()
    {
        const string source = """
            var (port, chan) = Chan.New<int>();
            Spawn(() => chan.Send(1));
            Spawn(() => {|#0:chan|}.Send(2));
            Console.WriteLine(port.Recv());
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Microsoft.CodeAnalysis.OutputKind.ConsoleApplication, Flow001(0));
    }

    // ---- not reported ----

    [Fact]
    public Task ChanCapturedByOneSpawnOnly_DoesNotReport()
    {
        const string source = """
            class C
            {
                int M()
                {
                    var (port, chan) = Chan.New<int>();
                    Spawn(() => { chan.Send(1); chan.Close(); });
                    return port.Recv();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task ChanUsedOnlyBeforeTheSpawn_DoesNotReport()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    chan.Send(0);
                    Spawn(chan, static c => c.Send(1));
                    port.Recv();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task SharedChanCapturedByMany_DoesNotReport()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, shared) = SharedChan.New<int>();
                    Spawn(() => shared.Send(1));
                    Spawn(() => shared.Send(2));
                    for (int i = 0; i < 3; i++)
                    {
                        Spawn(shared.Clone(), static c => c.Send(3));
                    }

                    shared.Close();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task ChanDeclaredInsideTheLoop_IsOneChanPerIteration()
    {
        const string source = """
            class C
            {
                List<Port<int>> M()
                {
                    var ports = new List<Port<int>>();
                    for (int i = 0; i < 3; i++)
                    {
                        var (port, chan) = Chan.New<int>();
                        Spawn(() => chan.Send(1));
                        ports.Add(port);
                    }

                    foreach (Chan<int> each in new Chan<int>[0])
                    {
                        Spawn(() => each.Send(1));
                    }

                    return ports;
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task ChanDeclaredInsideTheTask_BelongsToIt()
    {
        const string source = """
            class C
            {
                void M()
                {
                    Spawn(() =>
                    {
                        var (port, chan) = Chan.New<int>();
                        Spawn(() => chan.Send(1));
                        port.Recv();
                    });
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task LookingAtTheChanAfterTheTaskTookIt_DoesNotReport()
    {
        const string source = """
            class C
            {
                async Task<bool> M()
                {
                    var (port, chan) = Chan.New<int>();
                    JoinHandle h = Spawn(chan, static c => c.Send(1));
                    await h;
                    Console.WriteLine($"{nameof(chan)}: {chan.ToString()}, capacity {chan.Capacity}");
                    await chan.Completion;
                    return chan.IsClosed;
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task OtherClosures_AreNotSpawns()
    {
        const string source = """
            static class My
            {
                public static void Spawn(Action body) => body();
            }

            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    _ = Task.Run(() => chan.Send(1));
                    My.Spawn(() => chan.Send(2));
                    My.Spawn(() => chan.Send(3));
                    chan.Send(4);
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task PortCapturedWhileChanIsUsed_DoesNotReport()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>();
                    JoinHandle<int> h = Spawn(() => port.Recv());
                    chan.Send(1);
                    h.Join();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    // ---- the code fix ----

    [Fact]
    public Task Fix_SecondCapture_HandsEachTaskAClone_AndClosesTheOriginal()
    {
        const string source = """
            class C
            {
                int M()
                {
                    var (port, chan) = Chan.New<int>();
                    Spawn(() =>
                    {
                        chan.Send(1);
                    });
                    Spawn(() => {|#0:chan|}.Send(2));
                    return port.Recv() + port.Recv();
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                int M()
                {
                    var (port, chan) = SharedChan.New<int>();
                    Spawn(chan.Clone(), static chan =>
                    {
                        chan.Send(1);
                    });
                    Spawn(chan.Clone(), static chan => chan.Send(2));
                    chan.Close();
                    return port.Recv() + port.Recv();
                }
            }
            """;
        return Verify.CodeFix<OwnershipAnalyzer, SharedChanCodeFix>(source, fixedSource, Flow001(0));
    }

    [Fact]
    public Task Fix_UseAfterCapture_KeepsTheOriginalForTheSpawningCode()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Chan.New<int>(4);
                    Spawn(async () => await chan.SendAsync(1));
                    {|#0:chan|}.Send(2);
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                void M()
                {
                    var (port, chan) = SharedChan.New<int>(4);
                    Spawn(chan.Clone(), static async chan => await chan.SendAsync(1));
                    chan.Send(2);
                }
            }
            """;
        return Verify.CodeFix<OwnershipAnalyzer, SharedChanCodeFix>(source, fixedSource, Flow001(0));
    }

    [Fact]
    public Task Fix_ClosureThatCapturesMore_GetsACloneLocal()
    {
        const string source = """
            class C
            {
                void M()
                {
                    (Port<int> port, Chan<int> chan) = Chan.New<int>();
                    foreach (int i in Enumerable.Range(0, 3))
                    {
                        Spawn(() => {|#0:chan|}.Send(i));
                    }
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                void M()
                {
                    (Port<int> port, SharedChan<int> chan) = SharedChan.New<int>();
                    foreach (int i in Enumerable.Range(0, 3))
                    {
                        SharedChan<int> chan1 = chan.Clone();
                        Spawn(() => chan1.Send(i));
                    }

                    chan.Close();
                }
            }
            """;
        return Verify.CodeFix<OwnershipAnalyzer, SharedChanCodeFix>(source, fixedSource, Flow001(0));
    }

    [Fact]
    public Task Fix_Handover_PassesAClone()
    {
        const string source = """
            class C
            {
                void M()
                {
                    var (port, chan) = Flow.Chan.New<int>();
                    Spawn(chan, static c => c.Send(1));
                    {|#0:chan|}.Send(2);
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                void M()
                {
                    var (port, chan) = Flow.SharedChan.New<int>();
                    Spawn(chan.Clone(), static c => c.Send(1));
                    chan.Send(2);
                }
            }
            """;
        return Verify.CodeFix<OwnershipAnalyzer, SharedChanCodeFix>(source, fixedSource, Flow001(0));
    }
}
