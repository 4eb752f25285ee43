using System.Text.RegularExpressions;
using FluentAssertions;

namespace TaskQueue.DocsTests;

/// <summary>Each package carries its own README, whose links work on a package gallery (absolute, never relative).</summary>
public sealed partial class PackageReadmeTests
{
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    public static TheoryData<string> PackableProjects => ["TaskQueue", "TaskQueue.Testing", "TaskQueue.DynamoDB", "TaskQueue.S3", "TaskQueue.Cli"];

    [Theory]
    [MemberData(nameof(PackableProjects))]
    public void The_package_packs_its_own_readme(string project)
    {
        var projectFile = File.ReadAllText(Path.Combine(DocumentationFiles.RepositoryRoot, "src", project, project + ".csproj"));

        projectFile.Should().Contain("<PackageReadmeFile>README.md</PackageReadmeFile>")
            .And.Contain("<None Include=\"README.md\" Pack=\"true\" PackagePath=\"/\" />");
    }

    [Theory]
    [MemberData(nameof(PackableProjects))]
    public void The_package_readme_links_are_absolute(string project)
    {
        var readme = File.ReadAllText(Path.Combine(DocumentationFiles.RepositoryRoot, "src", project, "README.md"));
        var links = MarkdownLink().Matches(readme).Select(match => match.Groups["target"].Value).ToList();

        links.Should().NotBeEmpty("a package README links to the full README");
        links.Should().OnlyContain(link => link.StartsWith("https://", StringComparison.Ordinal), "relative links break on a package gallery");
    }
}
