using Amazon.SQS;

namespace TaskQueue;

/// <summary>Makes the <see cref="IAmazonSQS"/> from the AWS options, with <c>AWS_ENDPOINT_URL_SQS</c> honoured (see <see cref="AmazonClientFactory"/>).</summary>
internal static class AmazonSqsFactory
{
    public static IAmazonSQS Create(IServiceProvider services) => Create(services, AmazonClientFactory.CredentialsConfigured);

    /// <summary>Makes the client; <paramref name="credentialsConfigured"/> tells whether the SDK's chain has credentials to find.</summary>
    internal static IAmazonSQS Create(IServiceProvider services, Func<bool> credentialsConfigured) =>
        AmazonClientFactory.Create<IAmazonSQS>(services, "AWS_ENDPOINT_URL_SQS", credentialsConfigured, Log.DummyCredentialsForEndpoint);
}
