namespace Digits.Tests.Support;

/// <summary>The repository the tests were built from: what a person who cloned it sees.</summary>
public static class RepositoryFolder
{
    /// <summary>The folder holding Digits.slnx, above the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Digits.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Digits.slnx above {AppContext.BaseDirectory}; the tests read the repository's files beside it.");
    }
}
