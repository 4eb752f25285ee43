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
}
