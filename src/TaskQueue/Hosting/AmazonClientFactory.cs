using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskQueue;

/// <summary>
/// Makes an AWS service client as <c>AddAWSService</c> would: from a registered <see cref="AWSOptions"/>, else the
/// "AWS" configuration section, with the service's <c>AWS_ENDPOINT_URL_*</c> variable honoured by the SDK. A local
/// endpoint needs no real credentials, so where an endpoint is given and the SDK's chain has nothing to find, a dummy
/// key is used. Compiled into each package that makes a client (SQS here, DynamoDB in TaskQueue.DynamoDB).
/// </summary>
internal static class AmazonClientFactory
{
    /// <summary>Local AWS-compatible servers accept any key; the same one the CLI uses.</summary>
    internal static readonly BasicAWSCredentials DummyCredentials = new("test", "test");

    /// <summary>Makes the client.</summary>
    /// <typeparam name="TClient">The service's client interface, e.g. <c>IAmazonSQS</c>.</typeparam>
    /// <param name="services">Where the AWS options, configuration and logger factory are found.</param>
    /// <param name="endpointVariable">The service's endpoint variable, e.g. <c>AWS_ENDPOINT_URL_SQS</c>.</param>
    /// <param name="credentialsConfigured">Tells whether the SDK's chain has credentials to find.</param>
    /// <param name="sayDummyCredentials">Logs that dummy credentials are used for the endpoint.</param>
    public static TClient Create<TClient>(IServiceProvider services, string endpointVariable, Func<bool> credentialsConfigured, Action<ILogger, string> sayDummyCredentials)
        where TClient : class, IAmazonService
    {
        var options = services.GetService<AWSOptions>() ?? services.GetService<IConfiguration>()?.GetAWSOptions() ?? new AWSOptions();
        if (ExplicitEndpoint(options, endpointVariable) is { } endpoint && NeedsDummyCredentials(options, credentialsConfigured))
        {
            // Sets them on the shared options too: any other client made from them would find no credentials either.
            options.Credentials = DummyCredentials;
            options.Region ??= RegionFromEnvironment() ?? RegionEndpoint.USEast1;
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger("TaskQueue.Hosting");
            if (logger is not null)
            {
                sayDummyCredentials(logger, endpoint);
            }
        }

        if (options.Region is not null && !string.IsNullOrEmpty(options.DefaultClientConfig.ServiceURL) && string.IsNullOrEmpty(options.DefaultClientConfig.AuthenticationRegion))
        {
            // The signing region cannot be read from a local endpoint's host name.
            options.DefaultClientConfig.AuthenticationRegion = options.Region.SystemName;
        }

        return options.CreateServiceClient<TClient>();
    }

    /// <summary>The endpoint given by configuration or environment, where one is: never AWS's own, found from the region.</summary>
    internal static string? ExplicitEndpoint(AWSOptions options, string endpointVariable) =>
        NonEmpty(options.DefaultClientConfig.ServiceURL)
        ?? NonEmpty(Environment.GetEnvironmentVariable(endpointVariable))
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));

    /// <summary>Where the SDK's chain could find a key without asking the network; its instance-metadata probe waits for a timeout outside AWS.</summary>
    internal static bool CredentialsConfigured() =>
        Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is not null
        || Environment.GetEnvironmentVariable("AWS_PROFILE") is not null
        || Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") is not null
        || Environment.GetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE") is not null
        || Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI") is not null
        || Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is not null
        || File.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "credentials"));

    /// <summary>True when a given endpoint is to get <see cref="DummyCredentials"/>: nothing names credentials and the chain has none to find.</summary>
    internal static bool NeedsDummyCredentials(AWSOptions options, Func<bool> credentialsConfigured) =>
        options.Credentials is null && string.IsNullOrEmpty(options.Profile) && !credentialsConfigured();

    /// <summary>The region <c>AWS_REGION</c> or <c>AWS_DEFAULT_REGION</c> names, where one does.</summary>
    internal static RegionEndpoint? RegionFromEnvironment() =>
        NonEmpty(Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")) is { } name
            ? RegionEndpoint.GetBySystemName(name)
            : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
