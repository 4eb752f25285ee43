namespace TaskQueue.Sqs;

/// <summary>One entry of a ChangeMessageVisibilityBatch call.</summary>
/// <param name="Id">Entry id, unique within the batch.</param>
/// <param name="ReceiptHandle">The receipt handle of the receive that returned the message.</param>
/// <param name="VisibilityTimeout">New timeout counted from now: 0 to 12 hours, whole seconds.</param>
public sealed record VisibilityChangeEntry(string Id, string ReceiptHandle, TimeSpan VisibilityTimeout);
