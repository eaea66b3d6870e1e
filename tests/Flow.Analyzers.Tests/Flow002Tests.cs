using Flow.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Flow.Analyzers.Tests;

/// <summary>FLOW002: a spawned closure captures a local that is written after the capture.</summary>
public class Flow002Tests
{
    private static DiagnosticResult Flow002(int location) => Verify.Diagnostic("FLOW002").WithLocation(location);

    // ---- reported ----

    [Fact]
    public Task ForLoopVariable_IsTheClassicTrap()
    {
        const string source = """
            class C
            {
                void M()
                {
                    for (int i = 0; i < 3; {|#1:i|}++)
                    {
                        Spawn(() => Console.WriteLine({|#0:i|}));
                    }
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(
            source,
            new DiagnosticResult("FLOW002", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
                .WithLocation(0)
                .WithLocation(1)
                .WithArguments("i", "by the for loop's increment (line 12) while the task runs"));
    }

    [Fact]
    public Task WrittenAfterTheSpawn_Reports()
    {
        const string source = """
            class C
            {
                void M()
                {
                    int count = 1;
                    Spawn(() => Console.WriteLine({|#0:count|}));
                    count = 5;
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow002(0).WithArguments("count", "after the spawn (line 14)"));
    }

    [Fact]
    public Task WrittenInsideTheTask_Reports()
    {
        const string source = """
            class C
            {
                int M()
                {
                    int total = 0;
                    JoinHandle h = Spawn(() => { {|#0:total|} += 2; });
                    h.Join();
                    return total;
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow002(0).WithArguments("total", "inside the task (line 13)"));
    }

    [Fact]
    public Task WrittenByRefInsideTheTask_Reports()
    {
        const string source = """
            class C
            {
                void M()
                {
                    int total = 0;
                    Spawn(() => Interlocked.Increment(ref {|#0:total|}));
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow002(0));
    }

    [Fact]
    public Task WhileLoopCondition_WritesForTheNextIteration()
    {
        const string source = """
            class C
            {
                void M()
                {
                    int n = 0;
                    while (n++ < 3)
                    {
                        Spawn(() => Console.WriteLine({|#0:n|}));
                    }
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow002(0).WithArguments("n", "by the next iteration of the loop (line 13)"));
    }

    [Fact]
    public Task ParameterAndDeconstructionWrites_Report()
    {
        const string source = """
            class C
            {
                void M(int x)
                {
                    int y = 0;
                    Future<int> f = Future.Spawn(() => {|#0:x|} + {|#1:y|});
                    (x, y) = (1, 2);
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source, Flow002(0), Flow002(1));
    }

    [Fact]
    public Task NonStaticStateBody_CapturingAMutableLocal_ReportsBoth()
    {
        const string source = """
            class C
            {
                void M()
                {
                    int offset = 0;
                    Spawn(1, {|#1:n =>|} Console.WriteLine(n + {|#0:offset|}));
                    offset++;
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(
            source,
            Flow002(0),
            Verify.Diagnostic("FLOW004").WithLocation(1).WithArguments(" (it captures 'offset')"));
    }

    // ---- not reported ----

    [Fact]
    public Task LocalsWrittenOnlyBeforeTheSpawn_DoNotReport()
    {
        const string source = """
            class C
            {
                void M()
                {
                    int n = 1;
                    n += 2;
                    string label = "x";
                    label = label + n;
                    Spawn(() => Console.WriteLine(label + n));
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task CopyInsideTheLoopBody_IsFreshEachIteration()
    {
        const string source = """
            class C
            {
                void M(int[] items)
                {
                    for (int i = 0; i < 3; i++)
                    {
                        int copy = i;
                        copy *= 2;
                        Spawn(() => Console.WriteLine(copy));
                    }

                    foreach (int item in items)
                    {
                        Spawn(() => Console.WriteLine(item));
                    }
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task HandingTheValueOver_DoesNotReport()
    {
        const string source = """
            class C
            {
                void M()
                {
                    for (int i = 0; i < 3; i++)
                    {
                        Spawn(i, static n => Console.WriteLine(n));
                    }
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task LocalsOfTheTaskItself_DoNotReport()
    {
        const string source = """
            class C
            {
                void M()
                {
                    Spawn(() =>
                    {
                        int local = 0;
                        for (int k = 0; k < 3; k++)
                        {
                            local += k;
                        }

                        Console.WriteLine(local);
                    });
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }

    [Fact]
    public Task ClosuresThatAreNotSpawns_DoNotReport()
    {
        const string source = """
            class C
            {
                void M()
                {
                    int n = 0;
                    Action a = () => n++;
                    _ = Task.Run(() => Console.WriteLine(n));
                    n = 3;
                    a();
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }
}
