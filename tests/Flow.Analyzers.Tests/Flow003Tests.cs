using Flow.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Flow.Analyzers.Tests;

/// <summary>FLOW003: a blocking Flow call inside async code, and its fix (the awaited async form).</summary>
public class Flow003Tests
{
    private static DiagnosticResult Flow003(int location) => Verify.Diagnostic("FLOW003").WithLocation(location);

    // ---- reported ----

    [Fact]
    public Task EveryBlockingCall_InAnAsyncMethod_Reports()
    {
        const string source = """
            class C
            {
                async Task M(Port<int> port, Future<int> future, JoinHandle handle, JoinHandle<int> valued, Port<int> other)
                {
                    await Task.Yield();
                    int a = port.{|#0:Recv|}();
                    int b = future.{|#1:Get|}();
                    handle.{|#2:Join|}();
                    Result<int> c = valued.{|#3:Join|}();
                    var (index, value) = Select.{|#4:Recv|}(port, other);
                    Select.Case(port, _ => { }).{|#5:Run|}();
                    foreach (int x in port.{|#6:Iter|}())
                    {
                    }

                    Result d = Tasks.{|#7:Try|}(() => { });
                    Result<int> e = {|#8:Try|}(() => 1);
                }
            }
            """;
        return Verify.Analyzer<BlockingCallAnalyzer>(
            source,
            Flow003(0).WithArguments("Port.Recv", "await RecvAsync()"),
            Flow003(1).WithArguments("Future.Get", "await GetAsync()"),
            Flow003(2).WithArguments("JoinHandle.Join", "await JoinAsync()"),
            Flow003(3).WithArguments("JoinHandle.Join", "await JoinAsync()"),
            Flow003(4).WithArguments("Select.Recv", "await Select.RecvAsync(...)"),
            Flow003(5).WithArguments("SelectBuilder.Run", "await RunAsync()"),
            Flow003(6).WithArguments("Port.Iter", "await foreach over the port"),
            Flow003(7).WithArguments("Tasks.Try", "await TryAsync(...)"),
            Flow003(8).WithArguments("Tasks.Try", "await TryAsync(...)"));
    }

    [Fact]
    public Task AsyncLambdaAndAsyncLocalFunction_Report()
    {
        const string source = """
            class C
            {
                void M(Port<int> port)
                {
                    Spawn(async () =>
                    {
                        await Task.Yield();
                        port.{|#0:Recv|}();
                    });

                    async Task Local()
                    {
                        await Task.Yield();
                        port.{|#1:Recv|}(CancellationToken.None);
                    }
                }
            }
            """;
        return Verify.Analyzer<BlockingCallAnalyzer>(source, Flow003(0), Flow003(1));
    }

    [Fact]
    public Task SendOnAChanCreatedBoundedHere_Reports()
    {
        const string source = """
            class C
            {
                async Task M()
                {
                    var (port, chan) = Chan.New<int>(1);
                    var (sharedPort, shared) = SharedChan.New<int>(capacity: 0);
                    SharedChan<int> clone = shared.Clone();
                    var (left, right) = DuplexStream.New<int, int>(4);
                    chan.{|#0:Send|}(1);
                    clone.{|#1:Send|}(2);
                    left.{|#2:Send|}(3);
                    await Task.Yield();
                }
            }
            """;
        return Verify.Analyzer<BlockingCallAnalyzer>(
            source,
            Flow003(0).WithArguments("Chan.Send", "await SendAsync(...)"),
            Flow003(1).WithArguments("SharedChan.Send", "await SendAsync(...)"),
            Flow003(2).WithArguments("DuplexStream.Send", "await SendAsync(...)"));
    }

    [Fact]
    public Task TopLevelStatementsThatAwait_AreAsyncCode()
    {
        const string source = """
            var (port, chan) = Chan.New<int>();
            chan.Send(1);
            int first = port.{|#0:Recv|}();
            await Task.Yield();
            """;
        return Verify.Analyzer<BlockingCallAnalyzer>(source, Microsoft.CodeAnalysis.OutputKind.ConsoleApplication, Flow003(0));
    }

    // ---- not reported ----

    [Fact]
    public Task TopLevelStatementsThatDoNotAwait_AreNotAsyncCode()
    {
        const string source = """
            var (port, chan) = Chan.New<int>();
            chan.Send(1);
            Console.WriteLine(port.Recv());
            """;
        return Verify.Analyzer<BlockingCallAnalyzer>(source, Microsoft.CodeAnalysis.OutputKind.ConsoleApplication);
    }

    [Fact]
    public Task AwaitedAsyncForms_DoNotReport()
    {
        const string source = """
            class C
            {
                async Task M(Port<int> port, Future<int> future, JoinHandle handle)
                {
                    int a = await port.RecvAsync();
                    int b = await future.GetAsync();
                    await handle.JoinAsync();
                    await foreach (int x in port)
                    {
                    }

                    Result r = await TryAsync(async () => await Task.Yield());
                }
            }
            """;
        return Verify.Analyzer<BlockingCallAnalyzer>(source);
    }

    [Fact]
    public Task BlockingCalls_InSyncCode_DoNotReport()
    {
        const string source = """
            class C
            {
                int M(Port<int> port, Future<int> future)
                {
                    int sum = port.Recv() + future.Get();
                    foreach (int x in port.Iter())
                    {
                        sum += x;
                    }

                    return sum;
                }

                async Task<int> N(Port<int> port)
                {
                    // A sync task body runs on a task of its own: blocking there is what it is for.
                    JoinHandle<int> h = Spawn(() => port.Recv());
                    return await h;
                }
            }
            """;
        return Verify.Analyzer<BlockingCallAnalyzer>(source);
    }

    [Fact]
    public Task SendOnAnUnboundedOrUnknownChan_DoesNotReport()
    {
        const string source = """
            class C
            {
                async Task M(Chan<int> given)
                {
                    var (port, chan) = Chan.New<int>();
                    var (left, right) = DuplexStream.New<int, int>();
                    var (l2, r2) = DuplexStream.New<int, int>(capacity: null);
                    chan.Send(1);
                    given.Send(2);
                    left.Send(3);
                    l2.Send(4);
                    await Task.Yield();
                }
            }
            """;
        return Verify.Analyzer<BlockingCallAnalyzer>(source);
    }

    // ---- the code fix ----

    [Fact]
    public Task Fix_RecvSendGetJoinRun_BecomeAwaitedAsyncCalls()
    {
        const string source = """
            class C
            {
                async Task<int> M(Port<int> port, Future<int> future, JoinHandle<int> handle, CancellationToken ct)
                {
                    var (p, chan) = Chan.New<int>(1);
                    chan.{|#0:Send|}(1, ct);
                    int a = port.{|#1:Recv|}(ct) + future.{|#2:Get|}();
                    bool ok = handle.{|#3:Join|}().IsOk;
                    Select.Case(port, _ => { }).{|#4:Run|}();
                    return a;
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                async Task<int> M(Port<int> port, Future<int> future, JoinHandle<int> handle, CancellationToken ct)
                {
                    var (p, chan) = Chan.New<int>(1);
                    await chan.SendAsync(1, ct);
                    int a = await port.RecvAsync(ct) + await future.GetAsync();
                    bool ok = (await handle.JoinAsync()).IsOk;
                    await Select.Case(port, _ => { }).RunAsync();
                    return a;
                }
            }
            """;
        return Verify.CodeFix<BlockingCallAnalyzer, AwaitCallCodeFix>(
            source, fixedSource, Flow003(0), Flow003(1), Flow003(2), Flow003(3), Flow003(4));
    }

    [Fact]
    public Task Fix_SelectRecv_GathersThePortsForRecvAsync()
    {
        const string source = """
            class C
            {
                async Task<int> M(Port<int> a, Port<int> b, Port<int>[] all)
                {
                    var (i, x) = Select.{|#0:Recv|}(a, b);
                    var (j, y) = Select.{|#1:Recv|}(all);
                    await Task.Yield();
                    return x + y;
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                async Task<int> M(Port<int> a, Port<int> b, Port<int>[] all)
                {
                    var (i, x) = await Select.RecvAsync(new[] { a, b });
                    var (j, y) = await Select.RecvAsync(all);
                    await Task.Yield();
                    return x + y;
                }
            }
            """;
        return Verify.CodeFix<BlockingCallAnalyzer, AwaitCallCodeFix>(source, fixedSource, Flow003(0), Flow003(1));
    }

    [Fact]
    public Task Fix_Iter_BecomesAwaitForeach()
    {
        const string source = """
            class C
            {
                async Task<int> M(Port<int> port, CancellationToken ct)
                {
                    int sum = 0;
                    foreach (int x in port.{|#0:Iter|}())
                    {
                        sum += x;
                    }

                    foreach (var y in port.{|#1:Iter|}(ct))
                    {
                        sum += y;
                    }

                    await Task.Yield();
                    return sum;
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                async Task<int> M(Port<int> port, CancellationToken ct)
                {
                    int sum = 0;
                    await foreach (int x in port)
                    {
                        sum += x;
                    }

                    await foreach (var y in port.WithCancellation(ct))
                    {
                        sum += y;
                    }

                    await Task.Yield();
                    return sum;
                }
            }
            """;
        return Verify.CodeFix<BlockingCallAnalyzer, AwaitCallCodeFix>(source, fixedSource, Flow003(0), Flow003(1));
    }

    [Fact]
    public Task Fix_Try_BecomesTryAsyncWithABodyThatReturnsATask()
    {
        const string source = """
            class C
            {
                static int Compute() => 42;

                static void Work() { }

                async Task M(bool flag)
                {
                    await Task.Yield();
                    Result<int> a = {|#0:Try|}(() => Compute());
                    Result b = Tasks.{|#1:Try|}(() => Work());
                    Result<int> c = {|#2:Try|}(() =>
                    {
                        if (flag)
                        {
                            return 1;
                        }

                        return Compute();
                    });
                    Result d = {|#3:Try|}(() =>
                    {
                        if (flag)
                        {
                            return;
                        }

                        Work();
                    });
                    Result e = {|#4:Try|}(Work);
                    Result<int> f = {|#5:Try<int>|}(() => throw new InvalidOperationException());
                }
            }
            """;
        const string fixedSource = """
            class C
            {
                static int Compute() => 42;

                static void Work() { }

                async Task M(bool flag)
                {
                    await Task.Yield();
                    Result<int> a = await TryAsync(() => Task.FromResult(Compute()));
                    Result b = await Tasks.TryAsync(() => { Work(); return Task.CompletedTask; });
                    Result<int> c = await TryAsync(() =>
                    {
                        if (flag)
                        {
                            return Task.FromResult(1);
                        }

                        return Task.FromResult(Compute());
                    });
                    Result d = await TryAsync(() =>
                    {
                        if (flag)
                        {
                            return Task.CompletedTask;
                        }

                        Work();
                        return Task.CompletedTask;
                    });
                    Result e = await TryAsync(() => { Work(); return Task.CompletedTask; });
                    Result<int> f = await TryAsync<int>(() => throw new InvalidOperationException());
                }
            }
            """;
        return Verify.CodeFix<BlockingCallAnalyzer, AwaitCallCodeFix>(
            source, fixedSource, Flow003(0), Flow003(1), Flow003(2), Flow003(3), Flow003(4), Flow003(5));
    }
}
