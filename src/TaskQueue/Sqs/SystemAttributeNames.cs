namespace TaskQueue.Sqs;

/// <summary>Names of the message system attributes TaskQueue reads.</summary>
public static class SystemAttributeNames
{
    /// <summary>How many times the message has been received.</summary>
    public const string ApproximateReceiveCount = "ApproximateReceiveCount";

    /// <summary>Send time, milliseconds since the Unix epoch.</summary>
    public const string SentTimestamp = "SentTimestamp";

    /// <summary>First receive time, milliseconds since the Unix epoch.</summary>
    public const string ApproximateFirstReceiveTimestamp = "ApproximateFirstReceiveTimestamp";

    /// <summary>The FIFO message group.</summary>
    public const string MessageGroupId = "MessageGroupId";

    /// <summary>The FIFO deduplication id.</summary>
    public const string MessageDeduplicationId = "MessageDeduplicationId";

    /// <summary>The FIFO sequence number.</summary>
    public const string SequenceNumber = "SequenceNumber";
}
