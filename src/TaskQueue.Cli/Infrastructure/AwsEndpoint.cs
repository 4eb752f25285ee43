using System.CommandLine.Parsing;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>
/// An AWS service endpoint as the SDK finds it (an option, else the service's <c>AWS_ENDPOINT_URL_*</c> variable, else
/// <c>AWS_ENDPOINT_URL</c>), and the credentials to use with one: a local server takes any.
/// </summary>
internal static class AwsEndpoint
{
    /// <summary>The endpoint the SDK will use: <paramref name="given"/>, else the service's variable, else <c>AWS_ENDPOINT_URL</c>; null for AWS.</summary>
    public static Uri? Effective(Uri? given, string serviceVariable) =>
        given ?? FromEnvironment(serviceVariable) ?? FromEnvironment("AWS_ENDPOINT_URL");

    /// <summary>Parses an endpoint option: an http(s) URL, or an error naming the option.</summary>
    public static Uri? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https")
        {
            return endpoint;
        }

        var option = (result.Parent as OptionResult)?.Option.Name ?? "--endpoint";
        result.AddError($"{option} '{text}' is not an http(s) URL, e.g. http://127.0.0.1:4566");
        return null;
    }

    /// <summary>
    /// Points a client's config at <paramref name="endpoint"/> (already made effective) and <paramref name="region"/>, with
    /// few retries, so an unreachable endpoint is reported soon. Returns the credentials to use with an endpoint; null for
    /// AWS, where the SDK's chain finds them.
    /// </summary>
    public static AWSCredentials? Configure(ClientConfig config, Uri? endpoint, string? region)
    {
        // Longer than the 20 s maximum long poll of SQS.
        config.Timeout = TimeSpan.FromSeconds(30);
        config.MaxErrorRetry = 2;
        if (!string.IsNullOrWhiteSpace(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (endpoint is null)
        {
            return null;
        }

        config.ServiceURL = endpoint.ToString();
        config.AuthenticationRegion = string.IsNullOrWhiteSpace(region) ? "us-east-1" : region;
        return Credentials();
    }

    /// <summary>The SDK's usual chain; SQS- and DynamoDB-compatible servers accept any key, so a dummy one where the chain finds none.</summary>
    private static AWSCredentials Credentials()
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

    /// <summary>The network fault in <paramref name="error"/> or under it (refused, reset, timed out), if it is one: no answer from the service at all.</summary>
    public static Exception? NetworkFault(Exception? error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is System.Net.Sockets.SocketException or HttpRequestException or TimeoutException)
            {
                return current;
            }
        }

        return null;
    }

    private static Uri? FromEnvironment(string variable) =>
        Uri.TryCreate(Environment.GetEnvironmentVariable(variable), UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https" ? endpoint : null;
}
