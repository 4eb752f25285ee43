namespace TaskQueue;

/// <summary>Where one task of an enqueue batch stands in the entity ledger.</summary>
public enum EntityTaskState
{
    /// <summary>Enqueued, not finished yet: waiting, running, or being retried.</summary>
    Pending = 0,

    /// <summary>Its handler succeeded. A completed task stays completed, whatever a duplicate delivery of it does later.</summary>
    Completed = 1,

    /// <summary>
    /// Moved to the dead-letter queue: its own failures reached the queue's maxReceiveCount, its handler asked for it,
    /// its exception is non-retryable or its config did not bind. Completing it after a redrive reopens its batch.
    /// </summary>
    DeadLettered = 2,
}
