namespace TaskQueue.Configuration;

/// <summary>How enqueue chooses each message's MessageDeduplicationId.</summary>
public enum DeduplicationMode
{
    /// <summary>
    /// <c>{entityId}-{taskName}</c>: enqueueing the same task of the same entity again within SQS's
    /// 5-minute deduplication window is accepted but not delivered twice, so enqueue is idempotent.
    /// </summary>
    Deterministic = 0,

    /// <summary>
    /// <c>{entityId}-{taskName}-{timestamp}</c>, as the Python reference handler does: every call
    /// sends new messages, so a re-enqueue is never deduplicated.
    /// </summary>
    PerCall = 1,
}
