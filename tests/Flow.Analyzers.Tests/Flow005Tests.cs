using Flow.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace Flow.Analyzers.Tests;

/// <summary>FLOW005: Arc.New of a mutable value.</summary>
public class Flow005Tests
{
    private const string Sequence = "ImmutableArray<T> or ReadOnlyMemory<T>";

    private static DiagnosticResult Flow005(int location) => Verify.Diagnostic("FLOW005").WithLocation(location);

    [Fact]
    public Task MutableValues_Report()
    {
        const string source = """
            class Settings
            {
                public int Level { get; set; }
            }

            class Counter
            {
                public int Count;
            }

            class C
            {
                void M(IList<int> list)
                {
                    using Arc<double[]> a = Arc.New({|#0:new double[3]|});
                    using Arc<List<int>> b = Arc.New({|#1:new List<int>()|});
                    using Arc<Dictionary<string, int>> c = Arc.New({|#2:new Dictionary<string, int>()|});
                    using Arc<Settings> d = Arc.New({|#3:new Settings()|});
                    using Arc<Counter> e = Arc.New({|#4:new Counter()|});
                    using Arc<IList<int>> f = Arc.New({|#5:list|});
                    using Arc<System.Text.StringBuilder> g = Arc.New({|#6:new System.Text.StringBuilder()|});
                }
            }
            """;
        return Verify.Analyzer<ArcAnalyzer>(
            source,
            Flow005(0).WithArguments("double[]", Sequence),
            Flow005(1).WithArguments("List<int>", Sequence),
            Flow005(2).WithArguments("Dictionary<string, int>", "ImmutableDictionary<TKey, TValue> or FrozenDictionary<TKey, TValue>"),
            Flow005(3).WithArguments("Settings", "a record or a class with init-only properties"),
            Flow005(4).WithArguments("Counter", "a record or a class with init-only properties"),
            Flow005(5).WithArguments("IList<int>", "IReadOnlyList<T> over an immutable collection"),
            Flow005(6).WithArguments("StringBuilder", "the string it built"));
    }

    [Fact]
    public Task ImmutableOrSharedByDesignValues_DoNotReport()
    {
        const string source = """
            using System.Collections.Concurrent;
            using System.Collections.Immutable;

            record Point(int X, int Y);

            class Frozen
            {
                public int Level { get; init; }

                public int Count { get; private set; }

                public readonly int Limit = 3;
            }

            struct Pair
            {
                public int A;
            }

            class C
            {
                void M(IReadOnlyList<int> list)
                {
                    using var a = Arc.New(ImmutableArray.Create(1.0, 2.0));
                    using var b = Arc.New("text");
                    using var c = Arc.New(new Point(1, 2));
                    using var d = Arc.New(new Frozen());
                    using var e = Arc.New(new ReadOnlyMemory<int>(new int[3]));
                    using var f = Arc.New(list);
                    using var g = Arc.New(new ConcurrentDictionary<string, int>());
                    using var h = Arc.New(new Pair());
                    MutexArc<List<int>> locked = MutexArc.New(new List<int>());
                    RwArc<int[]> rw = RwArc.New(new int[3]);
                }
            }
            """;
        return Verify.Analyzer<ArcAnalyzer>(source);
    }
}
