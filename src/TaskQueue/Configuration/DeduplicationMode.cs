namespace TaskQueue;

/// <summary>
/// How enqueue chooses each message's MessageDeduplicationId when the caller passes no idempotency key. SQS
/// accepts a send whose id it saw in the last 5 minutes but does not deliver it, and answers with the earlier
/// message's id. Every id is a SHA-256 of a length-prefixed encoding of what it identifies, so two different
/// tasks never share one, whatever their names hold.
/// </summary>
public enum DeduplicationMode
{
    /// <summary>
    /// One id per task and entity, the same on every call: enqueueing the same task of the same entity again
    /// within 5 minutes of the first send is accepted, reported as sent, and <b>not delivered</b>, even when the
    /// first run has finished and the new call carries a new config. Only for producers that want exactly that;
    /// an idempotency key is usually the better tool.
    /// </summary>
    Deterministic = 0,

    /// <summary>
    /// The default: ids unique to each enqueue call, shared only by that call's own resends (and the SDK's retries),
    /// so a repeat of a send within the call is deduplicated and a new call, however soon, is always delivered.
    /// </summary>
    PerCall = 1,
}
