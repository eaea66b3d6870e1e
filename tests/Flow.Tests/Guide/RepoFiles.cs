namespace Flow.Tests.Guide;

/// <summary>Finds files of this repository from the test's output folder.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Flow.sln not found above {AppContext.BaseDirectory}.");
    }
}
