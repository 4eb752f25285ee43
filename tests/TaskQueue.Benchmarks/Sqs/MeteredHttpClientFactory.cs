using Amazon.Runtime;

namespace TaskQueue.Benchmarks.Sqs;

/// <summary>Gives the AWS SDK HTTP clients over one <see cref="RequestMeter"/>, so every SQS call passes through it.</summary>
public sealed class MeteredHttpClientFactory(RequestMeter meter) : HttpClientFactory
{
    /// <inheritdoc />
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(meter, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(60) };
}
