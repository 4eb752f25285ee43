using System.Reflection;
using FluentAssertions;
using TaskQueue.TestSupport;

namespace TaskQueue.DocsTests;

/// <summary>The README's quick start, compiled and run as written against the local SQS server.</summary>
[Collection(nameof(ProcessEnvironmentDefinition))]
public sealed class QuickStartTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Quick_start_creates_its_queue_enqueues_a_task_and_processes_it()
    {
        var quickStart = DocumentationFiles.CSharpSnippets.FirstOrDefault(snippet => snippet.File == "README.md" && snippet.Heading == "Quick start")
            ?? throw new InvalidOperationException("README.md has no C# block under the heading \"Quick start\", which this test runs.");
        var entryPoint = Emit(quickStart);

        // Configured the AWS way: the SDK reads the endpoint, region and credentials from the environment.
        using var environment = new EnvironmentScope(new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_SQS"] = LocalSqsServer.Endpoint.ToString(),
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
        });
        var output = await RunAsync(entryPoint);

        output.Should().Contain("doc-123/ocr", "the quick start processes the task it enqueued; its output:\n{0}", output);
        output.Should().Contain("Completed", "the task's outcome is printed; the output:\n{0}", output);
    }

    private static MethodInfo Emit(MarkdownSnippet snippet)
    {
        var compilation = SnippetCompiler.Compile(snippet);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        emitted.Success.Should().BeTrue("the quick start at {0} must compile:\n{1}", snippet.Location, string.Join('\n', SnippetCompiler.Problems(snippet, compilation)));
        return Assembly.Load(image.ToArray()).EntryPoint
            ?? throw new InvalidOperationException($"{snippet.Location}: the quick start has no top-level statements to run.");
    }

    private static async Task<string> RunAsync(MethodInfo entryPoint)
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(TextWriter.Synchronized(output));
        try
        {
            object?[] arguments = entryPoint.GetParameters().Length == 0 ? [] : [Array.Empty<string>()];
            // The synthesized Main of an async program blocks until the program ends.
            await Task.Run(() => entryPoint.Invoke(null, arguments)).WaitAsync(RunTimeout);
        }
        finally
        {
            Console.SetOut(previous);
        }

        return output.ToString();
    }
}
