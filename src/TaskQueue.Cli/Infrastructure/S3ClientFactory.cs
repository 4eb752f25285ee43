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
        var config = new AmazonS3Config();
        var credentials = AwsEndpoint.Configure(config, AwsEndpoint.Effective(endpoint, "AWS_ENDPOINT_URL_S3"), region);
        // Bodies are large: minutes, not the 30 s a queue call gets.
        config.Timeout = TimeSpan.FromMinutes(5);
        if (credentials is null)
        {
            return new AmazonS3Client(config);
        }

        config.ForcePathStyle = true;
        return new AmazonS3Client(credentials, config);
    }
}
