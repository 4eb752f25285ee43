namespace TaskQueue.Sqs;

/// <summary>One entry of a SendMessageBatch call.</summary>
/// <param name="Id">Entry id, unique within the batch: at most 80 letters, digits, <c>-</c> and <c>_</c>.</param>
/// <param name="Body">The message body.</param>
/// <param name="MessageGroupId">FIFO message group; messages of one group are delivered in order, one at a time.</param>
/// <param name="MessageDeduplicationId">FIFO deduplication id: a second send with the same id within 5 minutes is accepted but not delivered.</param>
/// <param name="Attributes">Message attributes, sent as <c>String</c> except the Extended Clients' payload size, a <c>Number</c> (SQS allows at most 10).</param>
public sealed record OutgoingMessage(
    string Id,
    string Body,
    string? MessageGroupId = null,
    string? MessageDeduplicationId = null,
    IReadOnlyDictionary<string, string>? Attributes = null);
