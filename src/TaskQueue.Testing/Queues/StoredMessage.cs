namespace TaskQueue.Testing;

/// <summary>One message held by an in-memory queue, with its delivery state.</summary>
internal sealed class StoredMessage
{
    public StoredMessage(
        string messageId,
        string body,
        IReadOnlyDictionary<string, string> attributes,
        string? messageGroupId,
        string? messageDeduplicationId,
        long sequenceNumber,
        DateTimeOffset sentAt,
        DateTimeOffset enqueuedAt,
        DateTimeOffset visibleAt)
    {
        MessageId = messageId;
        Body = body;
        Attributes = attributes;
        MessageGroupId = messageGroupId;
        MessageDeduplicationId = messageDeduplicationId;
        SequenceNumber = sequenceNumber;
        SentAt = sentAt;
        EnqueuedAt = enqueuedAt;
        VisibleAt = visibleAt;
    }

    public string MessageId { get; }

    public string Body { get; }

    public IReadOnlyDictionary<string, string> Attributes { get; }

    public string? MessageGroupId { get; }

    public string? MessageDeduplicationId { get; }

    /// <summary>Position in the queue: FIFO delivery follows it within a group.</summary>
    public long SequenceNumber { get; }

    /// <summary>When the producer sent it (kept when the message moves to a dead-letter queue).</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary>When it entered this queue; the retention period counts from here.</summary>
    public DateTimeOffset EnqueuedAt { get; }

    /// <summary>Until then the message is delayed (never received) or in flight (received).</summary>
    public DateTimeOffset VisibleAt { get; set; }

    public int ReceiveCount { get; private set; }

    public DateTimeOffset? FirstReceivedAt { get; private set; }

    /// <summary>When the latest receive happened; a visibility timeout may not reach beyond 12 hours after it.</summary>
    public DateTimeOffset LastReceivedAt { get; private set; }

    /// <summary>The handle of the latest receive: the only one that may delete the message or change its visibility.</summary>
    public string? LatestReceiptHandle { get; private set; }

    /// <summary>Every handle ever issued for this message, so they can be forgotten when it leaves the queue.</summary>
    public List<string> IssuedReceiptHandles { get; } = [];

    public bool IsAvailable(DateTimeOffset now) => VisibleAt <= now;

    public bool IsInFlight(DateTimeOffset now) => ReceiveCount > 0 && VisibleAt > now;

    public bool IsDelayed(DateTimeOffset now) => ReceiveCount == 0 && VisibleAt > now;

    /// <summary>Records a receive: one more receive, a fresh handle, hidden for <paramref name="visibilityTimeout"/>.</summary>
    public void MarkReceived(DateTimeOffset now, TimeSpan visibilityTimeout, string receiptHandle)
    {
        ReceiveCount++;
        FirstReceivedAt ??= now;
        LastReceivedAt = now;
        VisibleAt = now + visibilityTimeout;
        LatestReceiptHandle = receiptHandle;
        IssuedReceiptHandles.Add(receiptHandle);
    }

    /// <summary>A copy for a dead-letter queue: same id, body, attributes, group and deduplication id; never received there.</summary>
    public StoredMessage CopyForDeadLetterQueue(long sequenceNumber, DateTimeOffset enqueuedAt) =>
        new(MessageId, Body, Attributes, MessageGroupId, MessageDeduplicationId, sequenceNumber, SentAt, enqueuedAt, enqueuedAt);
}
