using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace TaskQueue.TestSupport;

/// <summary>
/// The DynamoDB-compatible server the ledger tests run against: the dynalite <c>bash tests/run.sh</c> starts, or any
/// endpoint named by <c>TASKQUEUE_DYNAMODB_ENDPOINT</c>.
/// </summary>
public static class LocalDynamoDbServer
{
    /// <summary>The environment variable that holds the endpoint URL, e.g. <c>http://127.0.0.1:4567</c>.</summary>
    public const string EndpointVariable = "TASKQUEUE_DYNAMODB_ENDPOINT";

    private static readonly Lazy<AmazonDynamoDBClient> SharedClient = new(CreateClient);

    /// <summary>The endpoint from <see cref="EndpointVariable"/>.</summary>
    /// <exception cref="InvalidOperationException">The variable is missing or not an http(s) URL.</exception>
    public static Uri Endpoint => TestEndpoints.FromVariable(EndpointVariable, "DynamoDB", "http://127.0.0.1:4567");

    /// <summary>One client for the whole test run; never dispose it.</summary>
    public static AmazonDynamoDBClient Client => SharedClient.Value;

    /// <summary>A new client pointed at <see cref="Endpoint"/> with dummy credentials in us-east-1; the caller disposes it.</summary>
    /// <returns>The client.</returns>
    public static AmazonDynamoDBClient CreateClient() => new(new BasicAWSCredentials("test", "test"), Config());

    /// <summary>The client settings: the endpoint, its signing region, and timeouts short enough that a hung server fails the run.</summary>
    /// <returns>The settings.</returns>
    public static AmazonDynamoDBConfig Config() => new()
    {
        ServiceURL = Endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        Timeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        MaxErrorRetry = 2,
    };

    /// <summary>A table name no other test uses: <paramref name="prefix"/> and a random suffix.</summary>
    /// <param name="prefix">What the table is for.</param>
    /// <returns>The name.</returns>
    public static string UniqueTableName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
