namespace TaskQueue;

/// <summary>A message seen in the dead-letter queue by a peek.</summary>
/// <param name="MessageId">The SQS message id.</param>
/// <param name="ReceiptHandle">The handle of the peek's receive; the peek has already released the message, so it is only good until the next receive.</param>
/// <param name="EntityId">The entity, from the body or the <c>entity_id</c> attribute; null when neither says.</param>
/// <param name="TaskName">The task, from the body or the <c>task_name</c> attribute; null when neither says.</param>
/// <param name="ReceiveCount">How many times the message has been received, the peek included.</param>
/// <param name="EnqueuedAt">The enqueue time from the body, when it has one.</param>
/// <param name="MessageGroupId">The FIFO message group.</param>
/// <param name="Body">The raw body; a pointer, when the task's body is stored (see <see cref="Payload"/>).</param>
/// <param name="PoisonReason">Why the body is not a task message, when it is not.</param>
/// <param name="DeadLetterReason">Why TaskQueue moved the message to the DLQ (poison, no handler, the handler's reason, a non-retryable exception, its last attempt), when it did; null when the queue's redrive policy moved it.</param>
/// <param name="Attempts">How many attempts the task had made when TaskQueue moved it, when it did.</param>
public sealed record DeadLetterMessage(
    string MessageId,
    string ReceiptHandle,
    string? EntityId,
    string? TaskName,
    int ReceiveCount,
    DateTimeOffset? EnqueuedAt,
    string? MessageGroupId,
    string Body,
    string? PoisonReason,
    string? DeadLetterReason = null,
    int? Attempts = null)
{
    /// <summary>The enqueue call the task came from (see <see cref="TaskMessage.BatchId"/>), when the message says.</summary>
    public string? BatchId { get; init; }

    /// <summary>
    /// Where the task's body is stored, when the message is a pointer to it (a large payload): its <see cref="Body"/> is
    /// then the pointer, and the entity, task and batch come from its attributes. The peek does not fetch the body.
    /// </summary>
    public PayloadReference? Payload { get; init; }
}
