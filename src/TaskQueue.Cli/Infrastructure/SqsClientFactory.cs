using Amazon;
using Amazon.SQS;
using TaskQueue.Sqs;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>Makes the SQS client from <c>--endpoint</c> and <c>--region</c>, with the SDK's usual credential chain.</summary>
internal static class SqsClientFactory
{
    /// <summary>The endpoint the SDK will use: <c>--endpoint</c>, else <c>AWS_ENDPOINT_URL_SQS</c>, else <c>AWS_ENDPOINT_URL</c>; null for AWS.</summary>
    public static Uri? EffectiveEndpoint(Uri? endpoint) => AwsEndpoint.Effective(endpoint, "AWS_ENDPOINT_URL_SQS");

    public static ISqsClient Create(Uri? endpoint, string? region)
    {
        // An endpoint from the environment is one given explicitly too: a local server, with dummy credentials when none are set.
        endpoint = EffectiveEndpoint(endpoint);
        var config = new AmazonSQSConfig
        {
            // Longer than the 20 s maximum long poll; few retries, so an unreachable endpoint is reported soon.
            Timeout = TimeSpan.FromSeconds(30),
            MaxErrorRetry = 2,
        };
        if (!string.IsNullOrWhiteSpace(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (endpoint is null)
        {
            return new AwsSqsClient(new AmazonSQSClient(config));
        }

        config.ServiceURL = endpoint.ToString();
        config.AuthenticationRegion = string.IsNullOrWhiteSpace(region) ? "us-east-1" : region;
        return new AwsSqsClient(new AmazonSQSClient(AwsEndpoint.Credentials(), config));
    }
}
