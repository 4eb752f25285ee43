namespace TaskQueue.Sqs;

/// <summary>Names of the queue attributes TaskQueue reads and sets.</summary>
public static class QueueAttributeNames
{
    /// <summary>Every attribute.</summary>
    public const string All = "All";

    /// <summary>Messages available for retrieval.</summary>
    public const string ApproximateNumberOfMessages = "ApproximateNumberOfMessages";

    /// <summary>Messages received but neither deleted nor visible again (in flight).</summary>
    public const string ApproximateNumberOfMessagesNotVisible = "ApproximateNumberOfMessagesNotVisible";

    /// <summary>Messages not yet available because of a delay.</summary>
    public const string ApproximateNumberOfMessagesDelayed = "ApproximateNumberOfMessagesDelayed";

    /// <summary>"true" on a FIFO queue.</summary>
    public const string FifoQueue = "FifoQueue";

    /// <summary>"true" when the SHA-256 of the body serves as deduplication id where none is given.</summary>
    public const string ContentBasedDeduplication = "ContentBasedDeduplication";

    /// <summary>Default visibility timeout of received messages, seconds.</summary>
    public const string VisibilityTimeout = "VisibilityTimeout";

    /// <summary>How long a message is kept, seconds (60 to 1,209,600).</summary>
    public const string MessageRetentionPeriod = "MessageRetentionPeriod";

    /// <summary>Largest message accepted, bytes (1,024 to 1,048,576).</summary>
    public const string MaximumMessageSize = "MaximumMessageSize";

    /// <summary>Delay of every new message, seconds (0 to 900).</summary>
    public const string DelaySeconds = "DelaySeconds";

    /// <summary>Default long-poll wait of receives, seconds.</summary>
    public const string ReceiveMessageWaitTimeSeconds = "ReceiveMessageWaitTimeSeconds";

    /// <summary>JSON <c>{"deadLetterTargetArn": "...", "maxReceiveCount": N}</c>.</summary>
    public const string RedrivePolicy = "RedrivePolicy";

    /// <summary>The queue's ARN.</summary>
    public const string QueueArn = "QueueArn";

    /// <summary>FIFO only: <c>queue</c> (default) or <c>messageGroup</c>, where a deduplication id is unique within its message group.</summary>
    public const string DeduplicationScope = "DeduplicationScope";

    /// <summary>FIFO only: <c>perQueue</c> (default) or <c>perMessageGroupId</c>, which SQS allows only with <c>DeduplicationScope=messageGroup</c>.</summary>
    public const string FifoThroughputLimit = "FifoThroughputLimit";
}
