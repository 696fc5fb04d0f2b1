namespace Linli.Api.Tests.Support;

/// <summary>The checkout's root: the first folder above the test binaries that holds Linli.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Linli.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Linli.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
