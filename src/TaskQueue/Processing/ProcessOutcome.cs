namespace TaskQueue.Processing;

/// <summary>How processing a message ended.</summary>
public enum ProcessOutcome
{
    /// <summary>The handler succeeded; the message was deleted (see <see cref="ProcessResult{TResult}.Deleted"/>).</summary>
    Completed = 0,

    /// <summary>The handler threw; the message stays in the queue and comes back after its visibility timeout.</summary>
    Failed = 1,

    /// <summary>The body is not a task message; it was reported and left for the redrive policy, or moved to the DLQ.</summary>
    Poison = 2,
}
