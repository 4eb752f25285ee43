using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace TaskQueue.Benchmarks.Sqs;

/// <summary>The SQS-compatible server under test (<c>TASKQUEUE_SQS_ENDPOINT</c>, set by <c>tests/benchmarks.sh</c>) and SDK clients for it.</summary>
public static class SqsEndpoint
{
    /// <summary>The environment variable with the endpoint URL.</summary>
    public const string EndpointVariable = "TASKQUEUE_SQS_ENDPOINT";

    /// <summary>The endpoint URL.</summary>
    public static string Url =>
        Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException($"{EndpointVariable} is not set: run `bash tests/benchmarks.sh`, which starts the local SQS server.");

    /// <summary>An SDK client whose every request goes through <paramref name="meter"/>.</summary>
    public static AmazonSQSClient CreateClient(RequestMeter meter) => new(
        new BasicAWSCredentials("test", "test"),
        new AmazonSQSConfig
        {
            ServiceURL = Url,
            AuthenticationRegion = "us-east-1",
            Timeout = TimeSpan.FromSeconds(60),
            MaxErrorRetry = 2,
            HttpClientFactory = new MeteredHttpClientFactory(meter),
        });

    /// <summary>Creates a FIFO queue with a unique name (deduplication by explicit id, as the library sends).</summary>
    public static async Task<string> CreateFifoQueueAsync(IAmazonSQS sqs, string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}" + ".fifo";
        var response = await sqs.CreateQueueAsync(
            new CreateQueueRequest
            {
                QueueName = name,
                Attributes = new Dictionary<string, string>
                {
                    ["FifoQueue"] = "true",
                    ["VisibilityTimeout"] = "300",
                },
            },
            cancellationToken).ConfigureAwait(false);
        return response.QueueUrl;
    }
}
