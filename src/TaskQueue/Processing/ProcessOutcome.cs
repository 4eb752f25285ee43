namespace TaskQueue;

/// <summary>How processing a message ended.</summary>
public enum ProcessOutcome
{
    /// <summary>The handler succeeded; the message was deleted (see <see cref="ProcessResult{TResult}.Deleted"/>).</summary>
    Completed = 0,

    /// <summary>The handler threw; the message stays in the queue and comes back after its visibility timeout.</summary>
    Failed = 1,

    /// <summary>The body is not a task message; it was reported and left for the redrive policy, or moved to the DLQ.</summary>
    Poison = 2,

    /// <summary>
    /// The message's lease was lost while the task ran: SQS refused to extend its visibility, or the visibility ran out.
    /// The message may already be with another worker, so this one neither deleted it nor counted the run as done,
    /// whatever the handler returned; the task's <see cref="TaskContext.CancellationToken"/> was signalled when the loss was seen.
    /// </summary>
    LeaseLost = 3,

    /// <summary>
    /// The handler asked for another attempt after a delay of its choosing (<see cref="TaskOutcome.RetryAfter"/>): the
    /// message stays and comes back then, or, at the queue's maxReceiveCount, is moved to the DLQ.
    /// </summary>
    RetryRequested = 4,

    /// <summary>
    /// The handler asked for the task to go to the DLQ (<see cref="TaskOutcome.DeadLetter"/>), or its config did not bind
    /// to the handler's config type: moved there with <see cref="ProcessResult{TResult}.DeadLetterReason"/>, never retried
    /// (see <see cref="ProcessResult{TResult}.Deleted"/>; without a DLQ it stays and comes back).
    /// </summary>
    DeadLetterRequested = 5,
}
