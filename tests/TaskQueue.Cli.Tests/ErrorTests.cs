using FluentAssertions;

namespace TaskQueue.Cli.Tests;

public sealed class ErrorTests
{
    [Theory]
    [InlineData("enqueue|q|doc-1|echo|--config|{bad", 2, "--config is not valid JSON")]
    [InlineData("enqueue|q|doc-1|echo|--metadata|[1]", 2, "--metadata must be a JSON object")]
    [InlineData("status|no-such-queue-here", 2, "queue 'no-such-queue-here' does not exist")]
    [InlineData("status|q|--bogus", 2, "Unrecognized command or argument '--bogus'")]
    [InlineData("work|q|--max-tasks|abc", 2, "Cannot parse argument 'abc' for option '--max-tasks'")]
    [InlineData("work|q|--max-tasks|0", 2, "--max-tasks must be at least 1, not 0")]
    [InlineData("queues|create|bad!name", 2, "is not a FIFO queue name")]
    [InlineData("dlq", 2, "Required command was not provided")]
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
            .Which.Should().Contain("Connection refused");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("queues|create|--help")]
    [InlineData("enqueue|--help")]
    [InlineData("work|--help")]
    [InlineData("status|--help")]
    [InlineData("dlq|peek|--help")]
    [InlineData("dlq|redrive|--help")]
    public async Task Help_OnEveryCommand_PrintsUsageAndSucceeds(string args)
    {
        var run = await CliRun.RunAsync(args.Split('|'));

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Usage:").And.Contain("taskqueue");
        run.Error.Should().BeEmpty();
    }
}
