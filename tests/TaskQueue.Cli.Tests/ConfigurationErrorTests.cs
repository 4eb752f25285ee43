using System.Net;
using FluentAssertions;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests;

/// <summary>An endpoint that is not SQS: every command says so in one line on stderr and exits 1, instead of reporting failed tasks or retrying.</summary>
public sealed class ConfigurationErrorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Enqueue_EndpointIsNotSqs_PrintsOneLineAndFails()
    {
        using var server = StubHttpEndpoint.Start(_ => StubAnswer.WebPage(HttpStatusCode.NotFound));

        var run = await RunAsync(server, "enqueue", server.QueueUrl("orders.fifo"), "doc-1", "echo", "sleep");

        run.ExitCode.Should().Be(CliApp.Failure, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should()
            .StartWith($"taskqueue: SendMessageBatch on queue {server.QueueUrl("orders.fifo")} failed: the endpoint did not answer as SQS does");
        run.Output.Should().BeEmpty("no task is reported as sent or failed: the call as a whole failed");
    }

    [Fact]
    public async Task Work_ReceiveFailsWithConfigurationError_WorkerStopsAndPrintsOneLine()
    {
        // The queue's attributes read fine, so the worker starts; its first receive meets a web page.
        using var server = StubHttpEndpoint.Start(action => action == "GetQueueAttributes"
            ? StubAnswer.Json("""{"Attributes":{"ApproximateNumberOfMessages":"0"}}""")
            : StubAnswer.WebPage(HttpStatusCode.NotFound));

        var run = await RunAsync(server, "work", server.QueueUrl("orders.fifo"));

        run.ExitCode.Should().Be(CliApp.Failure, run.ToString());
        run.Output.Should().StartWith("working on orders.fifo");
        run.ErrorLines.Should().ContainSingle().Which.Should()
            .StartWith($"taskqueue: ReceiveMessage on queue {server.QueueUrl("orders.fifo")} failed: the endpoint did not answer as SQS does");
    }

    private static async Task<CliRun> RunAsync(StubHttpEndpoint server, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(["--endpoint", server.Url.ToString(), .. args], output, error).WaitAsync(Patience);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
