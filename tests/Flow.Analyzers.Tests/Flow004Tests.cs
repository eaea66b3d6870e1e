using Flow.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Flow.Analyzers.Tests;

/// <summary>FLOW004: the body of Spawn(state, body) should be a static lambda.</summary>
public class Flow004Tests
{
    private static DiagnosticResult Flow004(int location) => Verify.Diagnostic("FLOW004").WithLocation(location);

    // ---- reported ----

    [Fact]
    public Task LambdaThatCapturesNothing_Reports_AndTheFixAddsStatic()
    {
        const string source = """
            class C
            {
                void M()
                {
                    Spawn(5, {|#0:n =>|} Console.WriteLine(n));
                    Spawn("x", {|#1:async (s) =>|} await Task.Delay(s.Length));
                    Spawn(1, {|#2:delegate (int n)|} { Console.WriteLine(n); });
                    JoinHandle<int> h = Spawn(2,
                        // doubled by the task
                        {|#3:n =>|} n * 2);
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                void M()
                {
                    Spawn(5, static n => Console.WriteLine(n));
                    Spawn("x", static async (s) => await Task.Delay(s.Length));
                    Spawn(1, static delegate (int n) { Console.WriteLine(n); });
                    JoinHandle<int> h = Spawn(2,
                        // doubled by the task
                        static n => n * 2);
                }
            }
            """;
        return Verify.CodeFix<OwnershipAnalyzer, MakeStaticCodeFix>(
            source,
            fixedSource,
            Flow004(0).WithArguments(string.Empty),
            Flow004(1),
            Flow004(2),
            Flow004(3));
    }

    [Fact]
    public Task TaskScopeSpawnWithState_Reports()
    {
        const string source = """
            class C
            {
                async Task M()
                {
                    await using var scope = new TaskScope();
                    _ = scope.Spawn(3, {|#0:n =>|} Console.WriteLine(n));
                    await scope.JoinAsync();
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                async Task M()
                {
                    await using var scope = new TaskScope();
                    _ = scope.Spawn(3, static n => Console.WriteLine(n));
                    await scope.JoinAsync();
                }
            }
            """;
        return Verify.CodeFix<OwnershipAnalyzer, MakeStaticCodeFix>(source, fixedSource, Flow004(0));
    }

    [Fact]
    public Task LambdaThatCaptures_Reports_WithoutAFix()
    {
        const string source = """
            class C
            {
                private int _offset;

                void M()
                {
                    string prefix = ">";
                    Spawn(5, {|#0:n =>|} Console.WriteLine(prefix + (n + _offset)));
                }
            }
            """;
        return Verify.CodeFix<OwnershipAnalyzer, MakeStaticCodeFix>(
            source,
            source,
            Flow004(0).WithArguments(" (it captures 'prefix', 'this')"));
    }

    // ---- not reported ----

    [Fact]
    public Task StaticLambdasMethodGroupsAndStatelessSpawns_DoNotReport()
    {
        const string source = """
            class C
            {
                static void Print(int n) => Console.WriteLine(n);

                void M()
                {
                    Spawn(5, static n => Console.WriteLine(n));
                    Spawn(5, Print);
                    Spawn(() => Console.WriteLine(5));
                    Future<int> f = Future.Spawn(() => 5);
                }
            }
            """;
        return Verify.Analyzer<OwnershipAnalyzer>(source);
    }
}
