using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>The SQS error codes the in-memory client reports, and the exceptions that carry them.</summary>
internal static class SqsErrors
{
    public const string InvalidParameterValue = "InvalidParameterValue";
    public const string MissingParameter = "MissingParameter";
    public const string InvalidAttributeName = "InvalidAttributeName";
    public const string InvalidAttributeValue = "InvalidAttributeValue";
    public const string InvalidMessageContents = "InvalidMessageContents";
    public const string ReceiptHandleIsInvalid = "ReceiptHandleIsInvalid";
    public const string QueueAlreadyExists = "QueueAlreadyExists";
    public const string MessageNotInflight = "AWS.SimpleQueueService.MessageNotInflight";
    public const string EmptyBatchRequest = "AWS.SimpleQueueService.EmptyBatchRequest";
    public const string TooManyEntriesInBatchRequest = "AWS.SimpleQueueService.TooManyEntriesInBatchRequest";
    public const string BatchEntryIdsNotDistinct = "AWS.SimpleQueueService.BatchEntryIdsNotDistinct";
    public const string InvalidBatchEntryId = "AWS.SimpleQueueService.InvalidBatchEntryId";
    public const string BatchRequestTooLong = "AWS.SimpleQueueService.BatchRequestTooLong";

    public static SqsRequestException Request(string errorCode, string message) =>
        new(message, errorCode, isTransient: false, innerException: null);

    public static QueueDoesNotExistException QueueDoesNotExist(string queueUrlOrName) =>
        new($"The queue '{queueUrlOrName}' does not exist in the in-memory SQS: create it with CreateQueueAsync first.");
}
