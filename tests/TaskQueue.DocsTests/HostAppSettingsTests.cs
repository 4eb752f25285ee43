using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using Microsoft.Extensions.Configuration;

namespace TaskQueue.DocsTests;

/// <summary>The appsettings.json the README's Generic Host example shows: valid JSON with what the example binds.</summary>
public sealed partial class HostAppSettingsTests
{
    private const string HostHeading = "A worker in a Generic Host";

    [GeneratedRegex("""GetSection\("(?<name>[^"]+)"\)""")]
    private static partial Regex SectionRead();

    private static MarkdownSnippet HostProgram => Single("csharp");

    private static MarkdownSnippet AppSettings => Single("json");

    [Fact]
    public void The_appsettings_block_is_json_with_every_section_the_host_example_reads()
    {
        using var json = JsonDocument.Parse(AppSettings.Code);
        var sections = SectionRead().Matches(HostProgram.Code).Select(match => match.Groups["name"].Value).ToList();

        sections.Should().NotBeEmpty("the host example at {0} configures from appsettings.json", HostProgram.Location);
        json.RootElement.EnumerateObject().Select(property => property.Name).Should().Contain(sections, "{0} shows what {1} reads", AppSettings.Location, HostProgram.Location);
    }

    [Fact]
    public void The_appsettings_sections_bind_to_the_options_with_no_unknown_keys()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(AppSettings.Code))).Build();

        var queue = Bind<TaskQueueOptions>(configuration, "TaskQueue");
        Bind<TaskQueueWorkerOptions>(configuration, "TaskQueueWorker");

        queue.QueueUrl.Should().NotBeNullOrWhiteSpace("{0} must give the queue", AppSettings.Location);
    }

    private static TOptions Bind<TOptions>(IConfiguration configuration, string section)
        where TOptions : new()
    {
        var options = new TOptions();
        // A key the options do not have (misspelt, or removed from them) fails here instead of being ignored.
        configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        return options;
    }

    private static MarkdownSnippet Single(string language) =>
        DocumentationFiles.AllSnippets.Where(snippet => snippet.File == "README.md" && snippet.Heading == HostHeading && snippet.Language == language)
            .Should().ContainSingle("the README's section \"{0}\" shows one {1} block", HostHeading, language).Subject;
}
