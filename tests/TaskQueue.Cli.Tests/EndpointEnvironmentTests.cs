using FluentAssertions;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests;

/// <summary>The endpoint the AWS way, from the environment: these tests set process-wide variables, so they run alone.</summary>
[Collection(nameof(EndpointEnvironmentTests))]
[CollectionDefinition(nameof(EndpointEnvironmentTests), DisableParallelization = true)]
public sealed class EndpointEnvironmentTests
{
    [Fact]
    public async Task NoEndpointOption_AwsEndpointUrlSqsFromTheEnvironment_ReachesThatServer()
    {
        await using var queue = await CliQueue.CreateAsync();
        var previous = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SQS");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SQS", LocalSqsServer.Endpoint.ToString());
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exitCode = await CliApp.RunAsync(["--region", "us-east-1", "status", queue.Name], output, error);

            exitCode.Should().Be(CliApp.Success, error.ToString());
            output.ToString().Should().Contain("available");
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SQS", previous);
        }
    }

    [Fact]
    public async Task NoDynamoDbEndpointOption_AwsEndpointUrlDynamoDbFromTheEnvironment_ReachesThatServer()
    {
        await using var ledger = CliLedger.Named(LocalDynamoDbServer.UniqueTableName("cli-ledger"));
        var previous = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", LocalDynamoDbServer.Endpoint.ToString());
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exitCode = await CliApp.RunAsync(["--region", "us-east-1", "ledger", "create", ledger.Table], output, error);

            exitCode.Should().Be(CliApp.Success, error.ToString());
            output.ToString().Should().Be($"created  ledger table {ledger.Table}\n");
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", previous);
        }
    }
}
