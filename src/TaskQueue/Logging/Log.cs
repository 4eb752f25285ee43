using Microsoft.Extensions.Logging;

namespace TaskQueue.Logging;

/// <summary>Every log line of the library, source-generated. Message bodies are logged only at Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Enqueued {Sent} of {Total} tasks for entity {EntityId}")]
    public static partial void TasksEnqueued(ILogger logger, string entityId, int sent, int total);

    [LoggerMessage(1002, LogLevel.Warning, "Resending {Count} failed entries for entity {EntityId}, attempt {Attempt}")]
    public static partial void ResendingFailedEntries(ILogger logger, int count, string entityId, int attempt);

    [LoggerMessage(1003, LogLevel.Error, "Task {TaskName} of entity {EntityId} was not enqueued: {ErrorCode} {ErrorMessage}")]
    public static partial void TaskNotEnqueued(ILogger logger, string entityId, string taskName, string? errorCode, string? errorMessage);

    [LoggerMessage(2001, LogLevel.Warning, "Poison message {MessageId} (receive {ReceiveCount}): {Reason}")]
    public static partial void PoisonMessage(ILogger logger, string messageId, int receiveCount, string reason);

    [LoggerMessage(2002, LogLevel.Debug, "Poison message {MessageId} body: {Body}")]
    public static partial void PoisonMessageBody(ILogger logger, string messageId, string body);

    [LoggerMessage(2003, LogLevel.Warning, "Task {TaskName} of entity {EntityId} failed (message {MessageId}, receive {ReceiveCount}); it stays in the queue")]
    public static partial void TaskFailed(ILogger logger, Exception exception, string entityId, string taskName, string messageId, int receiveCount);

    [LoggerMessage(2004, LogLevel.Warning, "Delete of message {MessageId} failed, attempt {Attempt}; retrying")]
    public static partial void DeleteRetrying(ILogger logger, Exception exception, string messageId, int attempt);

    [LoggerMessage(2005, LogLevel.Error, "Delete of finished message {MessageId} failed; the task will run again when the message becomes visible")]
    public static partial void DeleteFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(2006, LogLevel.Warning, "Poison message {MessageId} stays in the queue: no dead-letter queue is configured or found in the redrive policy")]
    public static partial void NoDeadLetterQueueForPoison(ILogger logger, string messageId);

    [LoggerMessage(2007, LogLevel.Error, "Poison message {MessageId} could not be sent to the dead-letter queue: {ErrorCode} {ErrorMessage}; it stays in the queue")]
    public static partial void PoisonMoveFailed(ILogger logger, string messageId, string errorCode, string? errorMessage);

    [LoggerMessage(2008, LogLevel.Warning, "Poison message {MessageId} moved to dead-letter queue {DeadLetterQueueUrl}: {Reason}")]
    public static partial void PoisonMoved(ILogger logger, string messageId, string deadLetterQueueUrl, string? reason);

    [LoggerMessage(3001, LogLevel.Warning, "A peeked dead letter was not released ({ErrorCode}: {ErrorMessage}); it becomes visible again after {Seconds} s")]
    public static partial void PeekReleaseFailed(ILogger logger, string errorCode, string? errorMessage, double seconds);
}
