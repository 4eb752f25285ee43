using Microsoft.Extensions.Logging;

namespace TaskQueue;

/// <summary>The DynamoDB package's log messages; event ids continue those of TaskQueue's own.</summary>
internal static partial class DynamoDbLog
{
    [LoggerMessage(8002, LogLevel.Information, "DynamoDB endpoint {Endpoint} is given and no AWS credentials were found: using dummy credentials, which a local DynamoDB server accepts")]
    public static partial void DummyCredentialsForEndpoint(ILogger logger, string endpoint);
}
