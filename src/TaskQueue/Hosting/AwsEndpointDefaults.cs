using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;

namespace TaskQueue;

/// <summary>
/// What the clients TaskQueue makes (SQS through the SDK, SNS through its own) take from the AWS options and the
/// environment: the endpoint a user gave, whether the SDK's chain has credentials to find, and the dummy ones a local
/// server gets when it has none.
/// </summary>
internal static class AwsEndpointDefaults
{
    /// <summary>SQS- and SNS-compatible servers accept any key; the same one the CLI uses.</summary>
    public static readonly BasicAWSCredentials DummyCredentials = new("test", "test");

    /// <summary>
    /// The endpoint given by configuration or environment, where one is: never AWS's own, found from the region.
    /// </summary>
    /// <param name="options">The AWS options; their <c>ServiceURL</c> serves every client made from them.</param>
    /// <param name="serviceVariable">The service's own variable, e.g. <c>AWS_ENDPOINT_URL_SNS</c>, read before <c>AWS_ENDPOINT_URL</c>.</param>
    public static string? ExplicitEndpoint(AWSOptions options, string serviceVariable) =>
        NonEmpty(options.DefaultClientConfig.ServiceURL)
        ?? NonEmpty(Environment.GetEnvironmentVariable(serviceVariable))
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));

    /// <summary>Where the SDK's chain could find a key without asking the network; its instance-metadata probe waits for a timeout outside AWS.</summary>
    public static bool CredentialsConfigured() =>
        Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is not null
        || Environment.GetEnvironmentVariable("AWS_PROFILE") is not null
        || Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") is not null
        || Environment.GetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE") is not null
        || Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI") is not null
        || Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is not null
        || File.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "credentials"));

    /// <summary>True when a local endpoint is to get <see cref="DummyCredentials"/>: nothing names credentials and the chain has none to find.</summary>
    public static bool NeedsDummyCredentials(AWSOptions options, Func<bool> credentialsConfigured) =>
        options.Credentials is null && string.IsNullOrEmpty(options.Profile) && !credentialsConfigured();

    /// <summary>The region <c>AWS_REGION</c> or <c>AWS_DEFAULT_REGION</c> names, where one does.</summary>
    public static RegionEndpoint? RegionFromEnvironment() =>
        NonEmpty(Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")) is { } name
            ? RegionEndpoint.GetBySystemName(name)
            : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
