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
    public static IAmazonSQS Create(IServiceProvider services) => Create(services, AwsEndpointDefaults.CredentialsConfigured);

    /// <summary>Makes the client; <paramref name="credentialsConfigured"/> tells whether the SDK's chain has credentials to find.</summary>
    internal static IAmazonSQS Create(IServiceProvider services, Func<bool> credentialsConfigured)
    {
        var options = services.GetService<AWSOptions>() ?? services.GetService<IConfiguration>()?.GetAWSOptions() ?? new AWSOptions();
        if (ExplicitEndpoint(options) is { } endpoint && AwsEndpointDefaults.NeedsDummyCredentials(options, credentialsConfigured))
        {
            // Sets them on the shared options too: any other client made from them would find no credentials either.
            options.Credentials = AwsEndpointDefaults.DummyCredentials;
            options.Region ??= AwsEndpointDefaults.RegionFromEnvironment() ?? RegionEndpoint.USEast1;
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
    internal static string? ExplicitEndpoint(AWSOptions options) => AwsEndpointDefaults.ExplicitEndpoint(options, "AWS_ENDPOINT_URL_SQS");
}
