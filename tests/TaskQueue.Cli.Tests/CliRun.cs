using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests;

/// <summary>One run of the CLI in process, through the same entry point as its Main, against the local SQS and DynamoDB servers.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args) => await RunAsync(CancellationToken.None, args);

    public static async Task<CliRun> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(
            ["--endpoint", LocalSqsServer.Endpoint.ToString(), "--dynamodb-endpoint", LocalDynamoDbServer.Endpoint.ToString(), .. args], output, error, cancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The error output as lines, without the trailing empty one.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
