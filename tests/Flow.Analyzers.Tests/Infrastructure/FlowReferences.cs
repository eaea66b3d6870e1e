using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Flow.Analyzers.Tests.Infrastructure;

/// <summary>
/// What test sources compile against, found on this machine: the .NET reference pack of the SDK that runs
/// the tests (the runtime's own assemblies if the pack is missing) and the Flow assembly. The testing
/// framework's usual ReferenceAssemblies.Net.* download reference packages from NuGet; these do not.
/// </summary>
internal static class FlowReferences
{
    /// <summary>A reference set that resolves no package: every reference comes from <see cref="Metadata"/>.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    /// <summary>The framework's reference assemblies plus Flow.dll and the Rx bridge (the guide sample uses both).</summary>
    public static ImmutableArray<MetadataReference> Metadata { get; } = Load();

    /// <summary>Where the framework references came from, for a failing test's message.</summary>
    public static string Source { get; private set; } = string.Empty;

    private static ImmutableArray<MetadataReference> Load()
    {
        IEnumerable<string> framework;
        if (ReferencePack() is string pack)
        {
            framework = Directory.EnumerateFiles(pack, "*.dll");
            Source = pack;
        }
        else
        {
            framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                    || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
            Source = "TRUSTED_PLATFORM_ASSEMBLIES";
        }

        return framework
            .Append(typeof(Flow.Chan).Assembly.Location)
            .Append(typeof(Flow.Reactive.ReactiveExtensions).Assembly.Location)
            .Append(typeof(System.Reactive.Linq.Observable).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    /// <summary>packs/Microsoft.NETCore.App.Ref/&lt;this runtime's version, else the newest 10.x&gt;/ref/net10.0 beside the running runtime.</summary>
    private static string? ReferencePack()
    {
        // The runtime directory is <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        string runtime = RuntimeEnvironment.GetRuntimeDirectory();
        string root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs))
        {
            return null;
        }

        string exact = Path.Combine(packs, Environment.Version.ToString(), "ref", "net10.0");
        if (Directory.Exists(exact))
        {
            return exact;
        }

        return Directory.EnumerateDirectories(packs, "10.*")
            .Select(d => Path.Combine(d, "ref", "net10.0"))
            .Where(Directory.Exists)
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(d))), out Version? v) ? v : new Version())
            .FirstOrDefault();
    }
}
