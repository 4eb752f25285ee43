namespace TaskQueue.Sqs;

/// <summary>The outcome of a SendMessageBatch call, entry by entry.</summary>
/// <param name="Successful">Entries SQS accepted.</param>
/// <param name="Failed">Entries SQS rejected, with the reason.</param>
public sealed record SendBatchResult(IReadOnlyList<SentMessage> Successful, IReadOnlyList<BatchEntryFailure> Failed);

/// <summary>An entry SQS accepted in a SendMessageBatch call.</summary>
/// <param name="Id">The entry id given in the request.</param>
/// <param name="MessageId">The message id SQS assigned.</param>
/// <param name="SequenceNumber">The FIFO sequence number, when the service returns one.</param>
public sealed record SentMessage(string Id, string MessageId, string? SequenceNumber = null);
