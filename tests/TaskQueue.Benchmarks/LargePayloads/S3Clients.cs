using Amazon.Runtime;
using Amazon.S3;
using TaskQueue.Benchmarks.Sqs;

namespace TaskQueue.Benchmarks.LargePayloads;

/// <summary>S3 on the local server's endpoint (fauxqs serves it path-style), its requests counted by a meter.</summary>
public static class S3Clients
{
    public static AmazonS3Client Create(RequestMeter meter) => new(
        new BasicAWSCredentials("test", "test"),
        new AmazonS3Config
        {
            ServiceURL = SqsEndpoint.Url,
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            Timeout = TimeSpan.FromMinutes(5),
            MaxErrorRetry = 2,
            HttpClientFactory = new MeteredHttpClientFactory(meter),
        });

    public static async Task<string> CreateBucketAsync(IAmazonS3 s3, string purpose)
    {
        var bucket = $"bench-{purpose}-{Guid.NewGuid():N}"[..40];
        await S3PayloadStore.EnsureBucketAsync(s3, bucket).ConfigureAwait(false);
        return bucket;
    }
}
