namespace TaskQueue;

/// <summary>One message for a FIFO topic.</summary>
/// <param name="Body">The message, as subscribers with raw delivery receive it.</param>
/// <param name="GroupId">Orders the messages of one group; at most 128 characters SQS allows.</param>
/// <param name="DeduplicationId">SNS drops a message whose id it saw in the last 5 minutes.</param>
/// <param name="Attributes">String message attributes, which subscription filter policies can match.</param>
internal sealed record SnsMessage(string Body, string GroupId, string DeduplicationId, IReadOnlyDictionary<string, string> Attributes);
