using Amazon.Runtime;
using Amazon.SQS;
using TaskQueue.Sqs;

namespace TaskQueue.TestSupport;

/// <summary>
/// The SQS-compatible server the integration and contract tests run against: the one
/// <c>bash tests/run.sh</c> starts, or any endpoint named by <c>TASKQUEUE_SQS_ENDPOINT</c>.
/// </summary>
public static class LocalSqsServer
{
    /// <summary>The environment variable that holds the endpoint URL, e.g. <c>http://127.0.0.1:4566</c>.</summary>
    public const string EndpointVariable = "TASKQUEUE_SQS_ENDPOINT";

    private static readonly Lazy<AmazonSQSClient> SharedSdkClient = new(CreateSdkClient);

    /// <summary>The endpoint from <see cref="EndpointVariable"/>.</summary>
    /// <exception cref="InvalidOperationException">The variable is missing or not an http(s) URL: tests never skip silently.</exception>
    public static Uri Endpoint => TestEndpoints.FromVariable(EndpointVariable, "SQS", "http://127.0.0.1:4566");

    /// <summary>One SDK client for the whole test run, shared like an application would share it; never dispose it.</summary>
    public static AmazonSQSClient SdkClient => SharedSdkClient.Value;

    /// <summary>A new <see cref="AwsSqsClient"/> over <see cref="SdkClient"/>.</summary>
    public static AwsSqsClient CreateClient() => new(SdkClient);

    /// <summary>A new SDK client pointed at <see cref="Endpoint"/> with dummy credentials in us-east-1; the caller disposes it.</summary>
    /// <returns>The client.</returns>
    public static AmazonSQSClient CreateSdkClient()
    {
        var config = new AmazonSQSConfig
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            // Longer than the 20 s maximum long poll, short enough that a hung server fails the test run.
            Timeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxErrorRetry = 2,
        };
        return new AmazonSQSClient(new BasicAWSCredentials("test", "test"), config);
    }
}
