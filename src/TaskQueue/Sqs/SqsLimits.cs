namespace TaskQueue.Sqs;

/// <summary>The limits SQS sets, in one place: a request beyond any of them is refused.</summary>
internal static class SqsLimits
{
    /// <summary>Most entries in one batch call (send, delete, change visibility) and most messages one receive returns.</summary>
    public const int MaxBatchEntries = 10;

    /// <summary>Most payload bytes in one send batch, all entries together.</summary>
    public const int MaxBatchPayloadBytes = 1_048_576;

    /// <summary>Largest message, body and attributes together: 1 MiB.</summary>
    public const int MaxMessageBytes = 1_048_576;

    /// <summary>Longest MessageGroupId or MessageDeduplicationId.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest id of an entry in a batch call.</summary>
    public const int MaxBatchEntryIdLength = 80;

    /// <summary>Longest queue name, <c>.fifo</c> included.</summary>
    public const int MaxQueueNameLength = 80;

    /// <summary>Most message attributes on one message.</summary>
    public const int MaxMessageAttributes = 10;

    /// <summary>Longest visibility timeout, and longest a received message can stay hidden in all, counted from its receive.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);

    /// <summary>How long SQS remembers a FIFO receive's ReceiveRequestAttemptId, counted from that receive.</summary>
    public static readonly TimeSpan ReceiveRequestAttemptWindow = TimeSpan.FromMinutes(5);

    /// <summary>Longest long-poll wait of a receive.</summary>
    public static readonly TimeSpan MaxWaitTime = TimeSpan.FromSeconds(20);

    /// <summary>Longest delay of a message before it can be received.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);
}
