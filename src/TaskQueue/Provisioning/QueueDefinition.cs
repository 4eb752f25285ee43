namespace TaskQueue;

/// <summary>A FIFO task queue and its FIFO dead-letter queue, as <see cref="QueueProvisioner"/> creates them.</summary>
/// <param name="QueueName">The task queue's name, ending in <c>.fifo</c> (at most 80 characters: letters, digits, <c>-</c>, <c>_</c>).</param>
public sealed record QueueDefinition(string QueueName)
{
    /// <summary>The DLQ's name; <c>{name}-dlq.fifo</c> when null.</summary>
    public string? DeadLetterQueueName { get; init; }

    /// <summary>Receives after which a task moves to the DLQ, 1 to 1,000. Default 5.</summary>
    public int MaxReceiveCount { get; init; } = 5;

    /// <summary>The task queue's default visibility timeout, 0 to 12 hours. Default 5 minutes.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the task queue keeps a message, 60 s to 14 days. Default 4 days, as SQS.</summary>
    public TimeSpan MessageRetention { get; init; } = TimeSpan.FromDays(4);

    /// <summary>How long the DLQ keeps a dead letter, 60 s to 14 days. Default 14 days: longer than the task queue, since a message's age counts from its first send.</summary>
    public TimeSpan DeadLetterRetention { get; init; } = TimeSpan.FromDays(14);

    /// <summary>When true, SQS uses the body's SHA-256 as deduplication id where a send gives none. Default false: TaskQueue always gives one.</summary>
    public bool ContentBasedDeduplication { get; init; }

    /// <summary>
    /// When true, both queues use SQS's high-throughput FIFO mode: <c>DeduplicationScope=messageGroup</c> and
    /// <c>FifoThroughputLimit=perMessageGroupId</c>, the two settings SQS requires together (either alone keeps normal
    /// throughput). The throughput quota then applies per message group instead of per queue, and a deduplication id is
    /// unique within its group only, which TaskQueue's ids already are. Default false.
    /// </summary>
    public bool HighThroughput { get; init; }

    /// <summary>The DLQ name in use.</summary>
    public string EffectiveDeadLetterQueueName =>
        DeadLetterQueueName ?? (QueueName.EndsWith(".fifo", StringComparison.Ordinal) ? QueueName[..^5] : QueueName) + "-dlq.fifo";
}
