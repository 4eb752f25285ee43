using Microsoft.Extensions.Logging;

namespace TaskQueue;

/// <summary>The S3 package's log messages; event ids continue those of TaskQueue's own.</summary>
internal static partial class S3Log
{
    [LoggerMessage(10101, LogLevel.Information, "S3 endpoint {Endpoint} is given and no AWS credentials were found: using dummy credentials, which a local S3 server accepts")]
    public static partial void DummyCredentialsForEndpoint(ILogger logger, string endpoint);
}
