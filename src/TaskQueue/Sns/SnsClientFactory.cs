using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskQueue;

/// <summary>
/// Makes the <see cref="SnsClient"/> from the AWS options as the SDK would make its own: the endpoint from
/// <c>ServiceURL</c>, <c>AWS_ENDPOINT_URL_SNS</c> or <c>AWS_ENDPOINT_URL</c>, else AWS's regional one; the region from
/// the topic's ARN, else the options, else the SDK's fallback; the credentials from the options or the SDK's chain,
/// resolved at the first request. A given endpoint with no credentials to find gets dummy ones, as for SQS.
/// </summary>
internal static class SnsClientFactory
{
    public const string EndpointVariable = "AWS_ENDPOINT_URL_SNS";

    // One for the process, as HttpClient is meant to be used; connections are renewed so DNS changes are seen.
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The client for a container: its AWSOptions, else the "AWS" configuration section; its logger and time.</summary>
    public static SnsClient Create(IServiceProvider services, string? region) => Create(
        services.GetService<AWSOptions>() ?? services.GetService<IConfiguration>()?.GetAWSOptions(),
        region,
        services.GetService<ILoggerFactory>()?.CreateLogger("TaskQueue.Hosting"),
        services.GetService<TimeProvider>());

    /// <summary>Makes the client.</summary>
    /// <param name="options">The AWS options; null for the SDK's defaults.</param>
    /// <param name="region">The topic's region, which requests must be signed for; null to take the options'.</param>
    /// <param name="logger">Says when dummy credentials are used.</param>
    /// <param name="timeProvider">The signing time; the system's when null.</param>
    /// <param name="credentialsConfigured">Whether the SDK's chain has credentials to find; the environment is looked at when null.</param>
    public static SnsClient Create(AWSOptions? options, string? region, ILogger? logger, TimeProvider? timeProvider, Func<bool>? credentialsConfigured = null)
    {
        options ??= new AWSOptions();
        var explicitEndpoint = AmazonClientFactory.ExplicitEndpoint(options, EndpointVariable);
        AWSCredentials? credentials = options.Credentials;
        if (credentials is null && explicitEndpoint is not null
            && AmazonClientFactory.NeedsDummyCredentials(options, credentialsConfigured ?? AmazonClientFactory.CredentialsConfigured))
        {
            credentials = AmazonClientFactory.DummyCredentials;
            if (logger is not null)
            {
                Log.DummyCredentialsForSnsEndpoint(logger, explicitEndpoint);
            }
        }

        var signingRegion = region
            ?? options.Region?.SystemName
            ?? (explicitEndpoint is not null
                ? AmazonClientFactory.RegionFromEnvironment()?.SystemName ?? RegionEndpoint.USEast1.SystemName
                : FallbackRegionFactory.GetRegionEndpoint()?.SystemName)
            ?? throw new InvalidOperationException(
                "No AWS region for SNS: set AWS_REGION, or the region of the AWS options (the \"AWS:Region\" setting).");
        var endpoint = explicitEndpoint is not null
            ? new Uri(explicitEndpoint, UriKind.Absolute)
            : new Uri($"https://sns.{signingRegion}.{RegionEndpoint.GetBySystemName(signingRegion).PartitionDnsSuffix}/");
        var resolved = credentials;
        return new SnsClient(
            SharedHttp,
            endpoint,
            signingRegion,
            new Lazy<AWSCredentials>(() => resolved ?? options.GetCredentials(), LazyThreadSafetyMode.PublicationOnly),
            timeProvider ?? TimeProvider.System);
    }
}
