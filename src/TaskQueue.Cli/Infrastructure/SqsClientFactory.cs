using System.CommandLine.Parsing;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SQS;
using TaskQueue.Sqs;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>Makes the SQS client from <c>--endpoint</c> and <c>--region</c>, with the SDK's usual credential chain.</summary>
internal static class SqsClientFactory
{
    /// <summary>The endpoint the SDK will use: <c>--endpoint</c>, else <c>AWS_ENDPOINT_URL_SQS</c>, else <c>AWS_ENDPOINT_URL</c>; null for AWS.</summary>
    public static Uri? EffectiveEndpoint(Uri? endpoint) =>
        endpoint ?? FromEnvironment("AWS_ENDPOINT_URL_SQS") ?? FromEnvironment("AWS_ENDPOINT_URL");

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
        return new AwsSqsClient(new AmazonSQSClient(CredentialsForEndpoint(), config));
    }

    public static Uri? ParseEndpoint(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https")
        {
            return endpoint;
        }

        result.AddError($"--endpoint '{text}' is not an http(s) URL, e.g. http://127.0.0.1:4566");
        return null;
    }

    private static Uri? FromEnvironment(string variable) =>
        Uri.TryCreate(Environment.GetEnvironmentVariable(variable), UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https" ? endpoint : null;

    /// <summary>The SDK's usual chain; SQS-compatible servers accept any key, so a dummy one where the chain finds none.</summary>
    internal static AWSCredentials CredentialsForEndpoint()
    {
        if (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is null && Environment.GetEnvironmentVariable("AWS_PROFILE") is null
            && !File.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "credentials")))
        {
            // Skips the chain's instance-metadata probe, which waits for a timeout on machines outside AWS.
            return new BasicAWSCredentials("test", "test");
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException)
        {
            return new BasicAWSCredentials("test", "test");
        }
    }
}
