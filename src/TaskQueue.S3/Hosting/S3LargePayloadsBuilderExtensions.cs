using Amazon.S3;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskQueue;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds large task bodies in Amazon S3 to a <see cref="TaskQueueBuilder"/>.</summary>
public static class S3LargePayloadsBuilderExtensions
{
    /// <summary>
    /// Stores a task's body in the S3 bucket <paramref name="bucket"/> when its message would be larger than the threshold
    /// (by default the queue's <see cref="TaskQueueOptions.MaxMessageBytes"/>) and sends a pointer in the AWS Extended
    /// Client format; the worker fetches the body a pointer names (from TaskQueue or a Java or Python Extended Client
    /// producer) and deletes it after the message. The <see cref="IAmazonS3"/> is the container's, else one made from
    /// the AWS options as the SQS client is (<c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c> name a local endpoint,
    /// addressed path-style). The bucket must exist (<see cref="S3PayloadStore.EnsureBucketAsync"/>).
    /// </summary>
    /// <param name="builder">The TaskQueue builder.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="configure">Sets the threshold, key prefix and whether bodies are deleted after processing; checked when the host starts.</param>
    /// <returns>The builder.</returns>
    public static TaskQueueBuilder AddS3LargePayloads(this TaskQueueBuilder builder, string bucket, Action<LargePayloadOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        builder.Services.Configure<TaskQueueOptions>(options =>
        {
            options.LargePayloads.Bucket = bucket;
            configure?.Invoke(options.LargePayloads);
        });

        // The container disposes the client it made; one registered by the application wins.
        builder.Services.TryAddSingleton(AmazonS3Factory.Create);
        builder.Services.TryAddSingleton<IPayloadStore>(services => new S3PayloadStore(services.GetRequiredService<IAmazonS3>()));
        return builder;
    }
}
