namespace TaskQueue.Sqs;

/// <summary>The outcome of a DeleteMessageBatch or ChangeMessageVisibilityBatch call, entry by entry.</summary>
/// <param name="SuccessfulIds">Ids of the entries that succeeded.</param>
/// <param name="Failed">Entries that failed, with the reason.</param>
public sealed record BatchResult(IReadOnlyList<string> SuccessfulIds, IReadOnlyList<BatchEntryFailure> Failed);

/// <summary>An entry of a batch call that SQS rejected.</summary>
/// <param name="Id">The entry id given in the request.</param>
/// <param name="Code">The SQS error code, e.g. <c>ReceiptHandleIsInvalid</c>.</param>
/// <param name="Message">The service's explanation.</param>
/// <param name="SenderFault">True when the request itself was wrong and a retry cannot succeed.</param>
public sealed record BatchEntryFailure(string Id, string Code, string? Message, bool SenderFault);
