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
}
