using FluentAssertions;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests;

public sealed class ErrorTests
{
    [Theory]
    [InlineData("enqueue|q|doc-1|echo|--config|{bad", 2, "--config is not valid JSON")]
    [InlineData("enqueue|q|doc-1|echo|--metadata|[1]", 2, "--metadata must be a JSON object")]
    [InlineData("status|no-such-queue-here", 1, "queue 'no-such-queue-here' does not exist")]
    [InlineData("status|q|--bogus", 2, "Unrecognized command or argument '--bogus'")]
    [InlineData("work|q|--max-tasks|abc", 2, "Cannot parse argument 'abc' for option '--max-tasks'")]
    [InlineData("work|q|--max-tasks|0", 2, "--max-tasks must be at least 1, not 0")]
    [InlineData("queues|create|bad!name", 2, "is not a FIFO queue name")]
    [InlineData("dlq", 2, "Required command was not provided")]
    [InlineData("entity|show|doc-1", 2, "Option '--ledger-table' is required")]
    [InlineData("ledger|create|ab", 2, "ledger table 'ab' is not a DynamoDB table name: use 3 to 255 letters, digits, '_', '-' or '.'")]
    [InlineData("work|q|--ledger-table|no/slash", 2, "ledger table 'no/slash' is not a DynamoDB table name")]
    public async Task UserMistake_PrintsOneLineAndFails(string args, int exitCode, string message)
    {
        var run = await CliRun.RunAsync(args.Split('|'));

        run.ExitCode.Should().Be(exitCode, run.ToString());
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith("taskqueue: ").And.Contain(message);
        run.Output.Should().BeEmpty();
    }

    [Fact]
    public async Task UnreachableEndpoint_PrintsOneLineAndFails()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await CliApp.RunAsync(["--endpoint", "http://127.0.0.1:1", "status", "orders"], output, error);

        exitCode.Should().Be(1);
        error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().StartWith("taskqueue: cannot reach http://127.0.0.1:1/: check --endpoint").And.Contain("Connection refused")
            .And.NotContain("retry later");
    }

    [Fact]
    public async Task DynamoDbEndpointNotAUrl_PrintsOneLineAndIsAUsageError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await CliApp.RunAsync(["--dynamodb-endpoint", "nowhere", "ledger", "create", "some-ledger"], output, error);

        exitCode.Should().Be(CliApp.UsageError);
        error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().StartWith("taskqueue: --dynamodb-endpoint 'nowhere' is not an http(s) URL, e.g. http://127.0.0.1:4566");
    }

    [Theory]
    [InlineData("ledger|create|some-ledger")]
    [InlineData("entity|show|doc-1|--ledger-table|some-ledger")]
    public async Task UnreachableDynamoDbEndpoint_PrintsOneLineNamingItsOptionAndFails(string args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await CliApp.RunAsync(["--dynamodb-endpoint", "http://127.0.0.1:1", .. args.Split('|')], output, error);

        exitCode.Should().Be(CliApp.Failure);
        error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().StartWith("taskqueue: cannot reach http://127.0.0.1:1/: check --dynamodb-endpoint (or AWS_ENDPOINT_URL_DYNAMODB)");
    }

    [Fact]
    public async Task MissingQueue_ByNameOrByUrl_SameExitCode()
    {
        var byName = await CliRun.RunAsync("status", "no-such-queue-anywhere");
        var byUrl = await CliRun.RunAsync("status", new Uri(LocalSqsServer.Endpoint, "000000000000/no-such-queue-anywhere.fifo").ToString());

        byName.ExitCode.Should().Be(CliApp.Failure, byName.ToString());
        byUrl.ExitCode.Should().Be(byName.ExitCode, byUrl.ToString());
        byUrl.ErrorLines.Should().ContainSingle().Which.Should().Contain("does not exist");
    }

    [Theory]
    [InlineData("status|no-such-queue-anywhere|--json", 1, "does not exist")]
    [InlineData("status|q|--bogus|--json", 2, "Unrecognized command or argument '--bogus'")]
    public async Task Error_WithJson_IsOneJsonObjectOnStderr(string args, int exitCode, string message)
    {
        var run = await CliRun.RunAsync(args.Split('|'));

        run.ExitCode.Should().Be(exitCode, run.ToString());
        run.Output.Should().BeEmpty();
        using var document = System.Text.Json.JsonDocument.Parse(run.ErrorLines.Should().ContainSingle().Subject);
        document.RootElement.GetProperty("error").GetString().Should().Contain(message);
        document.RootElement.GetProperty("exitCode").GetInt32().Should().Be(exitCode);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("queues|create|--help")]
    [InlineData("enqueue|--help")]
    [InlineData("work|--help")]
    [InlineData("status|--help")]
    [InlineData("dlq|peek|--help")]
    [InlineData("dlq|redrive|--help")]
    [InlineData("entity|show|--help")]
    [InlineData("ledger|create|--help")]
    public async Task Help_OnEveryCommand_PrintsUsageAndSucceeds(string args)
    {
        var run = await CliRun.RunAsync(args.Split('|'));

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Usage:").And.Contain("taskqueue");
        run.Error.Should().BeEmpty();
    }
}
