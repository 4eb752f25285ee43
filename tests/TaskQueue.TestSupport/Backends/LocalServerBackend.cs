using TaskQueue.Sqs;

namespace TaskQueue.TestSupport.Backends;

/// <summary>The local SQS server at <c>TASKQUEUE_SQS_ENDPOINT</c> (started by <c>tests/run.sh</c>): time passes for real.</summary>
public sealed class LocalServerBackend : ISqsBackend
{
    /// <summary>Slack on top of each wait, so a timeout on the server's clock has surely expired.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(400);

    /// <inheritdoc />
    public ISqsClient Client { get; } = LocalSqsServer.CreateClient();

    /// <inheritdoc />
    public Task LetTimePassAsync(TimeSpan duration) => Task.Delay(duration + Margin);
}
