using Amazon.Runtime;
using Amazon.S3;

namespace TaskQueue.TestSupport;

/// <summary>
/// The S3-compatible server the large-payload tests run against: fauxqs serves S3 on the SQS endpoint
/// (<see cref="LocalSqsServer.Endpoint"/>), addressed path-style.
/// </summary>
public static class LocalS3Server
{
    private static readonly Lazy<AmazonS3Client> SharedSdkClient = new(CreateSdkClient);

    /// <summary>One SDK client for the whole test run; never dispose it.</summary>
    public static AmazonS3Client SdkClient => SharedSdkClient.Value;

    /// <summary>A new SDK client, path-style, pointed at the local server with dummy credentials; the caller disposes it.</summary>
    /// <returns>The client.</returns>
    public static AmazonS3Client CreateSdkClient() => new(new BasicAWSCredentials("test", "test"), new AmazonS3Config
    {
        ServiceURL = LocalSqsServer.Endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        Timeout = TimeSpan.FromSeconds(30),
        MaxErrorRetry = 2,
    });

    /// <summary>A bucket made for one test, with a unique name.</summary>
    /// <param name="purpose">Part of the name, lowercase letters and digits.</param>
    /// <returns>The bucket's name.</returns>
    public static async Task<string> CreateBucketAsync(string purpose)
    {
        var name = $"tq-{purpose}-{Guid.NewGuid():N}";
        name = name[..Math.Min(63, name.Length)];
        await S3PayloadStore.EnsureBucketAsync(SdkClient, name);
        return name;
    }
}
