namespace TaskQueue.Sqs;

/// <summary>One entry of a DeleteMessageBatch call.</summary>
/// <param name="Id">Entry id, unique within the batch.</param>
/// <param name="ReceiptHandle">The receipt handle of the receive that returned the message.</param>
public sealed record ReceiptEntry(string Id, string ReceiptHandle);
