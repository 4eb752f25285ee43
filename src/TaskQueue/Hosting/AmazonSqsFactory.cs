using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskQueue;

/// <summary>
/// Makes the <see cref="IAmazonSQS"/> as <c>AddAWSService</c> would: from a registered <see cref="AWSOptions"/>, else the
/// "AWS" configuration section, with <c>AWS_ENDPOINT_URL_SQS</c> honoured by the SDK. A local endpoint needs no real
/// credentials, so where an endpoint is given and the SDK's chain has nothing to find, a dummy key is used.
/// </summary>
internal static class AmazonSqsFactory
{
    /// <summary>SQS-compatible servers accept any key; the same one the CLI uses.</summary>
    private static readonly BasicAWSCredentials DummyCredentials = new("test", "test");

    public static IAmazonSQS Create(IServiceProvider services) => Create(services, CredentialsConfigured);

    /// <summary>Makes the client; <paramref name="credentialsConfigured"/> tells whether the SDK's chain has credentials to find.</summary>
    internal static IAmazonSQS Create(IServiceProvider services, Func<bool> credentialsConfigured)
    {
        var options = services.GetService<AWSOptions>() ?? services.GetService<IConfiguration>()?.GetAWSOptions() ?? new AWSOptions();
        if (ExplicitEndpoint(options) is { } endpoint && options.Credentials is null && string.IsNullOrEmpty(options.Profile) && !credentialsConfigured())
        {
            // Sets them on the shared options too: any other client made from them would find no credentials either.
            options.Credentials = DummyCredentials;
            options.Region ??= RegionFromEnvironment() ?? RegionEndpoint.USEast1;
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger("TaskQueue.Hosting");
            if (logger is not null)
            {
                Log.DummyCredentialsForEndpoint(logger, endpoint);
            }
        }

        if (options.Region is not null && !string.IsNullOrEmpty(options.DefaultClientConfig.ServiceURL) && string.IsNullOrEmpty(options.DefaultClientConfig.AuthenticationRegion))
        {
            // The signing region cannot be read from a local endpoint's host name.
            options.DefaultClientConfig.AuthenticationRegion = options.Region.SystemName;
        }

        return options.CreateServiceClient<IAmazonSQS>();
    }

    /// <summary>The endpoint given by configuration or environment, where one is: never AWS's own, found from the region.</summary>
    internal static string? ExplicitEndpoint(AWSOptions options) =>
        NonEmpty(options.DefaultClientConfig.ServiceURL)
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SQS"))
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));

    /// <summary>Where the SDK's chain could find a key without asking the network; its instance-metadata probe waits for a timeout outside AWS.</summary>
    private static bool CredentialsConfigured() =>
        Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is not null
        || Environment.GetEnvironmentVariable("AWS_PROFILE") is not null
        || Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") is not null
        || Environment.GetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE") is not null
        || Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI") is not null
        || Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is not null
        || File.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "credentials"));

    private static RegionEndpoint? RegionFromEnvironment() =>
        NonEmpty(Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")) is { } name
            ? RegionEndpoint.GetBySystemName(name)
            : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
