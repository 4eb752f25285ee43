using Amazon.S3;

namespace TaskQueue;

/// <summary>
/// Makes the <see cref="IAmazonS3"/> from the AWS options, with <c>AWS_ENDPOINT_URL_S3</c> honoured (see
/// <see cref="AmazonClientFactory"/>); a client for an explicit endpoint addresses buckets path-style
/// (<c>http://host/bucket/key</c>), as local S3-compatible servers expect.
/// </summary>
internal static class AmazonS3Factory
{
    public const string EndpointVariable = "AWS_ENDPOINT_URL_S3";

    public static IAmazonS3 Create(IServiceProvider services)
    {
        var client = AmazonClientFactory.Create<IAmazonS3>(services, EndpointVariable, AmazonClientFactory.CredentialsConfigured, S3Log.DummyCredentialsForEndpoint);
        if (client.Config is AmazonS3Config config && (!string.IsNullOrEmpty(config.ServiceURL) || HasEndpointVariable()))
        {
            config.ForcePathStyle = true;
        }

        return client;
    }

    private static bool HasEndpointVariable() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable)) || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));
}
