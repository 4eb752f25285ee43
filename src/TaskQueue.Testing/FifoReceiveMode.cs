namespace TaskQueue.Testing;

/// <summary>How many messages of one FIFO message group a single receive of <see cref="InMemorySqsClient"/> may return.</summary>
public enum FifoReceiveMode
{
    /// <summary>
    /// As AWS does: one receive may return several messages of one group, in order, and each counts as received
    /// (its <c>ApproximateReceiveCount</c> rises) whether or not the consumer ever runs it. The default.
    /// </summary>
    SeveralPerGroup = 0,

    /// <summary>
    /// At most one message per group per receive, as some local SQS emulators do: code that is right under both
    /// modes does not depend on how a server batches a group.
    /// </summary>
    OnePerGroup = 1,
}
