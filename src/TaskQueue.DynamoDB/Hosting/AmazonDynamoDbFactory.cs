using Amazon.DynamoDBv2;

namespace TaskQueue;

/// <summary>Makes the <see cref="IAmazonDynamoDB"/> from the AWS options, with <c>AWS_ENDPOINT_URL_DYNAMODB</c> honoured (see <see cref="AmazonClientFactory"/>).</summary>
internal static class AmazonDynamoDbFactory
{
    public static IAmazonDynamoDB Create(IServiceProvider services) =>
        AmazonClientFactory.Create<IAmazonDynamoDB>(services, "AWS_ENDPOINT_URL_DYNAMODB", AmazonClientFactory.CredentialsConfigured, DynamoDbLog.DummyCredentialsForEndpoint);
}
