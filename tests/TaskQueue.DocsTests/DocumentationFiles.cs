namespace TaskQueue.DocsTests;

/// <summary>The markdown files whose snippets are checked: the repository README, each package's README and the docs that show code.</summary>
public static class DocumentationFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root: the directory holding TaskQueue.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>README.md, docs/ENTITY-EVENTS.md and src/*/README.md, relative to the repository root.</summary>
    public static IReadOnlyList<string> Readmes =>
        ["README.md", "docs/ENTITY-EVENTS.md", .. Directory.GetDirectories(Path.Combine(RepositoryRoot, "src"))
            .Where(project => File.Exists(Path.Combine(project, "README.md")))
            .Select(project => Path.GetRelativePath(RepositoryRoot, Path.Combine(project, "README.md")).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>Every code block of every README.</summary>
    public static IReadOnlyList<MarkdownSnippet> AllSnippets =>
        [.. Readmes.SelectMany(readme => MarkdownSnippets.Parse(readme, File.ReadAllText(Path.Combine(RepositoryRoot, readme))))];

    /// <summary>The C# blocks of every README.</summary>
    public static IEnumerable<MarkdownSnippet> CSharpSnippets => AllSnippets.Where(snippet => snippet.Language == "csharp");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TaskQueue.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No TaskQueue.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
