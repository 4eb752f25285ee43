namespace TaskQueue;

/// <summary>What became of one task of an enqueue call.</summary>
/// <param name="TaskName">The task's name.</param>
/// <param name="MessageGroupId">The MessageGroupId it was sent with.</param>
/// <param name="DeduplicationId">The MessageDeduplicationId it was sent with.</param>
/// <param name="MessageId">The SQS message id when sent; for a deduplicated send (see <see cref="MayHaveBeenDeduplicated"/>), SQS returns the id of the original message.</param>
/// <param name="ErrorCode">The SQS error code of the last failed attempt when not sent.</param>
/// <param name="ErrorMessage">Why it was not sent, when not sent.</param>
public sealed record TaskEnqueueOutcome(
    string TaskName,
    string MessageGroupId,
    string DeduplicationId,
    string? MessageId,
    string? ErrorCode = null,
    string? ErrorMessage = null)
{
    /// <summary>True when SQS accepted the message.</summary>
    public bool Succeeded => MessageId is not null;

    /// <summary>
    /// True when the deduplication id is shared beyond this enqueue call (an idempotency key was given, or
    /// <see cref="DeduplicationMode.Deterministic"/> is in use): SQS accepts a send whose id it saw in
    /// the last 5 minutes without delivering it again and answers with the earlier message's id, so a success does
    /// not prove that a new message was queued. False for the default per-call ids, which only this call's own
    /// resends share: then a success is a new message.
    /// </summary>
    public bool MayHaveBeenDeduplicated { get; init; }
}
