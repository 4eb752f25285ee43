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
        var config = new AmazonSQSConfig();
        var credentials = AwsEndpoint.Configure(config, EffectiveEndpoint(endpoint), region);
        return new AwsSqsClient(credentials is null ? new AmazonSQSClient(config) : new AmazonSQSClient(credentials, config));
    }
}
