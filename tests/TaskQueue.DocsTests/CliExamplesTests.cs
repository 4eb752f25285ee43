using System.Text;
using FluentAssertions;
using TaskQueue.Cli;
using TaskQueue.TestSupport;

namespace TaskQueue.DocsTests;

/// <summary>
/// Every <c>taskqueue</c> line of the READMEs' shell blocks, run as written (through the CLI's own entry point) against the
/// local SQS and DynamoDB servers, with the endpoints in <c>AWS_ENDPOINT_URL_SQS</c> and <c>AWS_ENDPOINT_URL_DYNAMODB</c> as
/// the blocks set them. Each README's lines run in order on a queue and a ledger table of their own: the queue name
/// <c>documents</c> and the table name <c>documents-ledger</c> are the only things replaced.
/// </summary>
[Collection(nameof(ProcessEnvironmentDefinition))]
public sealed class CliExamplesTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan WatchFor = TimeSpan.FromSeconds(2);

    public static TheoryData<string> ReadmesWithCliLines => [.. DocumentationFiles.AllSnippets
        .Where(snippet => snippet.Language == "bash" && CliLines(snippet).Any())
        .Select(snippet => snippet.File)
        .Distinct()];

    [Theory]
    [MemberData(nameof(ReadmesWithCliLines))]
    public async Task Every_taskqueue_line_runs_as_written(string readme)
    {
        var queue = "docs-" + Guid.NewGuid().ToString("N")[..8];
        using var environment = new EnvironmentScope(new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_SQS"] = LocalSqsServer.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_DYNAMODB"] = LocalDynamoDbServer.Endpoint.ToString(),
            ["AWS_REGION"] = "us-east-1",
        });

        foreach (var (snippet, line) in DocumentationFiles.AllSnippets.Where(s => s.File == readme && s.Language == "bash").SelectMany(s => CliLines(s).Select(l => (s, l))))
        {
            var args = ShellWords(line).Skip(1).Select(word => word switch { "documents" => queue, "documents-ledger" => queue + "-ledger", _ => word }).ToArray();
            var watching = args.Contains("--watch");
            using var stop = new CancellationTokenSource(watching ? WatchFor : CommandTimeout);
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exitCode = await CliApp.RunAsync(args, output, error, stop.Token);

            // A watch runs until Ctrl-C (or until the queue is empty): being stopped is one of its ways to end.
            exitCode.Should().BeOneOf(watching ? [CliApp.Success, CliApp.Cancelled] : [CliApp.Success], "`{0}` ({1}) must run as written; stderr:\n{2}", line, snippet.Location, error);
        }
    }

    /// <summary>The block's <c>taskqueue</c> commands, without their trailing comments.</summary>
    private static IEnumerable<string> CliLines(MarkdownSnippet snippet) =>
        snippet.Code.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("taskqueue ", StringComparison.Ordinal));

    /// <summary>Splits a shell command line as sh would for these examples: words, '...' and "..." quoting, a # comment.</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is '\'' or '"')
            {
                var end = line.IndexOf(c, i + 1);
                word.Append(line, i + 1, end - i - 1);
                inWord = true;
                i = end;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
