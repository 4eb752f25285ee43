using FluentAssertions;

namespace TaskQueue.DocsTests;

public sealed class CSharpSnippetTests
{
    public static TheoryData<string> CSharpBlocks => [.. DocumentationFiles.CSharpSnippets.Select(snippet => snippet.Location)];

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void Block_compiles_without_errors_or_warnings(string location)
    {
        var snippet = DocumentationFiles.CSharpSnippets.Single(candidate => candidate.Location == location);

        var problems = SnippetCompiler.Problems(snippet, SnippetCompiler.Compile(snippet));

        problems.Should().BeEmpty("the C# block at {0} must compile as a reader would paste it:\n{1}", location, string.Join('\n', problems));
    }

    [Fact]
    public void Every_readme_is_found_and_the_repository_readme_has_csharp_blocks()
    {
        DocumentationFiles.Readmes.Should().Contain(["README.md", "docs/ENTITY-EVENTS.md", "src/TaskQueue/README.md", "src/TaskQueue.Testing/README.md", "src/TaskQueue.DynamoDB/README.md", "src/TaskQueue.Cli/README.md"]);
        DocumentationFiles.CSharpSnippets.Where(snippet => snippet.File == "README.md").Should().HaveCountGreaterThan(2);
    }

    [Fact]
    public void A_broken_block_is_reported_with_its_line_in_the_markdown_and_the_compiler_message()
    {
        const string markdown = """
            # Example

            ```csharp
            using TaskQueue;

            var handler = new TaskQueueHandlr();
            ```
            """;
        var snippet = MarkdownSnippets.Parse("README.md", markdown).Single();

        var problems = SnippetCompiler.Problems(snippet, SnippetCompiler.Compile(snippet));

        problems.Should().ContainSingle().Which.Should()
            .StartWith("README.md:6: error CS0246: The type or namespace name 'TaskQueueHandlr' could not be found");
    }

    [Fact]
    public void A_block_gets_declarations_only_from_the_context_files_its_comment_names()
    {
        const string code = """
            ```csharp
            builder.Services.AddSingleton(TimeProvider.System);
            ```
            """;
        var alone = MarkdownSnippets.Parse("README.md", code).Single();
        var withContext = MarkdownSnippets.Parse("README.md", "<!-- snippet-context: docs/snippets/HostBuilder.cs -->\n" + code).Single();

        withContext.ContextFiles.Should().Equal("docs/snippets/HostBuilder.cs");
        SnippetCompiler.Problems(withContext, SnippetCompiler.Compile(withContext)).Should().BeEmpty();
        SnippetCompiler.Problems(alone, SnippetCompiler.Compile(alone)).Should().Contain(problem => problem.Contains("CS0103", StringComparison.Ordinal));
    }

    [Fact]
    public void A_warning_fails_a_block_too()
    {
        const string markdown = """
            ```csharp
            string? name = null;
            Console.WriteLine(name.Length);
            ```
            """;
        var snippet = MarkdownSnippets.Parse("README.md", markdown).Single();

        SnippetCompiler.Problems(snippet, SnippetCompiler.Compile(snippet)).Should().ContainSingle()
            .Which.Should().StartWith("README.md:3: warning CS8602");
    }
}
