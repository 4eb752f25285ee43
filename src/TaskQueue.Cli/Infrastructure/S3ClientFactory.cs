using Amazon;
using Amazon.S3;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>
/// Makes the S3 client for large task bodies: at <c>--endpoint</c> when given (fauxqs serves S3 on the SQS endpoint),
/// else <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c>, addressed path-style as local servers want; else AWS.
/// </summary>
internal static class S3ClientFactory
{
    public static IAmazonS3 Create(Uri? endpoint, string? region)
    {
        endpoint ??= FromEnvironment("AWS_ENDPOINT_URL_S3") ?? FromEnvironment("AWS_ENDPOINT_URL");
        var config = new AmazonS3Config { Timeout = TimeSpan.FromMinutes(5), MaxErrorRetry = 2 };
        if (!string.IsNullOrWhiteSpace(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (endpoint is null)
        {
            return new AmazonS3Client(config);
        }

        config.ServiceURL = endpoint.ToString();
        config.ForcePathStyle = true;
        config.AuthenticationRegion = string.IsNullOrWhiteSpace(region) ? "us-east-1" : region;
        return new AmazonS3Client(SqsClientFactory.CredentialsForEndpoint(), config);
    }

    private static Uri? FromEnvironment(string variable) =>
        Uri.TryCreate(Environment.GetEnvironmentVariable(variable), UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https" ? endpoint : null;
}
