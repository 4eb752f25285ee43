using Microsoft.Extensions.Logging;

namespace TaskQueue;

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

    [LoggerMessage(2006, LogLevel.Warning, "Poison message {MessageId} stays in the queue: no dead-letter queue is configured or found in the redrive policy")]
    public static partial void NoDeadLetterQueueForPoison(ILogger logger, string messageId);

    [LoggerMessage(2007, LogLevel.Error, "Poison message {MessageId} could not be sent to the dead-letter queue: {ErrorCode} {ErrorMessage}; it stays in the queue")]
    public static partial void PoisonMoveFailed(ILogger logger, string messageId, string errorCode, string? errorMessage);

    [LoggerMessage(2008, LogLevel.Warning, "Message {MessageId} moved to dead-letter queue {DeadLetterQueueUrl}: {Reason}")]
    public static partial void PoisonMoved(ILogger logger, string messageId, string deadLetterQueueUrl, string? reason);

    [LoggerMessage(2009, LogLevel.Information, "Task message {MessageId} failed on receive {ReceiveCount}; next attempt in {Seconds} s")]
    public static partial void RetryScheduled(ILogger logger, string messageId, int receiveCount, double seconds);

    [LoggerMessage(2010, LogLevel.Warning, "Could not set the retry delay of message {MessageId}; it comes back after its visibility timeout")]
    public static partial void BackoffFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(3001, LogLevel.Warning, "Message {MessageId} was not released ({ErrorCode}: {ErrorMessage}); it becomes visible when its visibility timeout ends")]
    public static partial void ReleaseFailed(ILogger logger, string messageId, string errorCode, string? errorMessage);

    [LoggerMessage(3002, LogLevel.Warning, "Releasing {Count} messages failed; they become visible when their visibility timeout ends")]
    public static partial void ReleaseBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(4001, LogLevel.Warning, "DeleteMessageBatch of {Count} finished messages failed")]
    public static partial void DeleteBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(4002, LogLevel.Error, "Delete of finished message {MessageId} was rejected ({ErrorCode}: {ErrorMessage}); the task will run again when the message becomes visible")]
    public static partial void DeleteRejected(ILogger logger, string messageId, string errorCode, string? errorMessage);

    [LoggerMessage(4003, LogLevel.Error, "Delete of finished message {MessageId} failed after {Attempts} attempts; the task will run again when the message becomes visible")]
    public static partial void DeleteGaveUp(ILogger logger, string messageId, int attempts);

    [LoggerMessage(5001, LogLevel.Debug, "Extended the visibility of {Count} running tasks")]
    public static partial void VisibilityExtended(ILogger logger, int count);

    [LoggerMessage(5002, LogLevel.Warning, "Extending the visibility of {Count} messages failed; they may be received again if their tasks outlast the timeout")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception, int count);


    [LoggerMessage(5004, LogLevel.Warning, "Message {MessageId} has been held for nearly 12 hours, the most SQS allows: it becomes visible again when its timeout ends")]
    public static partial void VisibilityCapReached(ILogger logger, string messageId);

    [LoggerMessage(6001, LogLevel.Information, "Worker started on {QueueUrl}: up to {MaxConcurrentTasks} tasks at once, {PollerCount} pollers")]
    public static partial void WorkerStarted(ILogger logger, string queueUrl, int maxConcurrentTasks, int pollerCount);

    [LoggerMessage(6002, LogLevel.Information, "Worker stopping: no more receives; running tasks have {Seconds} s to finish")]
    public static partial void WorkerStopping(ILogger logger, double seconds);

    [LoggerMessage(6003, LogLevel.Information, "Worker on {QueueUrl} stopped")]
    public static partial void WorkerStopped(ILogger logger, string queueUrl);

    [LoggerMessage(6004, LogLevel.Warning, "Receive failed; trying again in {Seconds} s")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(6005, LogLevel.Debug, "Released {Count} messages that did not run (visibility 0)")]
    public static partial void MessagesReleased(ILogger logger, int count);

    [LoggerMessage(6006, LogLevel.Warning, "Shutdown timeout reached: cancelling the tasks still running")]
    public static partial void CancellingRunningTasks(ILogger logger);

    [LoggerMessage(6007, LogLevel.Error, "Tasks still running after cancellation; the worker stops without them and their messages come back after their visibility timeout")]
    public static partial void TasksIgnoredCancellation(ILogger logger);

    [LoggerMessage(6008, LogLevel.Error, "Settling message {MessageId} failed; it comes back after its visibility timeout")]
    public static partial void SettleFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(7001, LogLevel.Information, "Redrive of dead letters: {Moved} of {Matched} matching moved back to the task queue, {Skipped} not matching, {Failed} failed (dry run: {DryRun})")]
    public static partial void DeadLettersRedriven(ILogger logger, int moved, int matched, int skipped, int failed, bool dryRun);

    [LoggerMessage(7002, LogLevel.Warning, "Dead letter {MessageId} was not sent back to the task queue ({ErrorCode}: {ErrorMessage}); it stays in the DLQ")]
    public static partial void RedriveSendFailed(ILogger logger, string messageId, string errorCode, string? errorMessage);

    [LoggerMessage(6009, LogLevel.Debug, "An empty receive returned long before its {Seconds} s wait: pausing before the next, as the server does not seem to long-poll")]
    public static partial void EmptyReceiveReturnedEarly(ILogger logger, double seconds);

    [LoggerMessage(6010, LogLevel.Warning, "The worker stops with deletes still failing; those finished tasks will run again when their messages become visible")]
    public static partial void DeletesUnfinishedAtStop(ILogger logger);

    [LoggerMessage(5101, LogLevel.Warning, "Lease of message {MessageId} lost: {Reason}; its run is cancelled and this worker will not delete it")]
    public static partial void LeaseLost(ILogger logger, string messageId, string reason);

    [LoggerMessage(5102, LogLevel.Information, "Message {MessageId} ended its run without a lease ({Outcome}): not deleted; it runs again wherever SQS delivers it next")]
    public static partial void RunEndedWithoutLease(ILogger logger, string messageId, TaskQueue.ProcessOutcome outcome);

    [LoggerMessage(5103, LogLevel.Information, "Message {MessageId} received again (receive {ReceiveCount}) while this worker holds it: the newest receipt is kept, the task does not run twice")]
    public static partial void ReceivedAgainWhileHeld(ILogger logger, string messageId, int receiveCount);

    [LoggerMessage(5104, LogLevel.Information, "Attempt {Attempt} of {MaxAttempts} of message {MessageId} failed; retrying in {Seconds} s under this worker's lease while the later tasks of its group wait")]
    public static partial void RetryingUnderLease(ILogger logger, string messageId, int attempt, int maxAttempts, double seconds);

    [LoggerMessage(5105, LogLevel.Warning, "The queue's redrive policy could not be read; the failed task and the later tasks of its group stay held, tried again in {Seconds} s")]
    public static partial void RedrivePolicyUnreadable(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(5106, LogLevel.Warning, "Moving message {MessageId} to the dead-letter queue failed")]
    public static partial void DeadLetterMoveFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(5107, LogLevel.Warning, "Message {MessageId} used its last attempt but could not be moved to the dead-letter queue; tried again in {Seconds} s while the later tasks of its group stay held")]
    public static partial void DeadLetterMoveRetrying(ILogger logger, string messageId, double seconds);

    [LoggerMessage(6012, LogLevel.Information, "Worker on {QueueUrl} paused: no receives and no new tasks until resumed; messages held and not started are released after {Seconds} s")]
    public static partial void WorkerPaused(ILogger logger, string queueUrl, double seconds);

    [LoggerMessage(6013, LogLevel.Information, "Worker on {QueueUrl} resumed")]
    public static partial void WorkerResumed(ILogger logger, string queueUrl);

    [LoggerMessage(6014, LogLevel.Information, "Worker paused for more than {Seconds} s: releasing the messages it holds and has not started, for other workers")]
    public static partial void PausedWorkerReleasing(ILogger logger, double seconds);

    [LoggerMessage(6011, LogLevel.Error, "Worker on {QueueUrl} stops on an error no retry can fix: {Reason}")]
    public static partial void WorkerStoppedByConfigurationError(ILogger logger, Exception exception, string queueUrl, string reason);

    [LoggerMessage(8001, LogLevel.Information, "SQS endpoint {Endpoint} is given and no AWS credentials were found: using dummy credentials, which a local SQS server accepts")]
    public static partial void DummyCredentialsForEndpoint(ILogger logger, string endpoint);

    [LoggerMessage(9001, LogLevel.Information, "Entity {EntityId} batch {BatchId} completed (revision {Revision}): {TotalTasks} tasks, {DeadLettered} dead-lettered; announced")]
    public static partial void EntityCompleted(ILogger logger, string entityId, string batchId, int revision, int totalTasks, int deadLettered);

    [LoggerMessage(9002, LogLevel.Warning, "The failed attempt of task {TaskName} of entity {EntityId} could not be recorded in the entity ledger (status readers see an older attempt count)")]
    public static partial void LedgerAttemptNotRecorded(ILogger logger, Exception exception, string entityId, string taskName);

    [LoggerMessage(9003, LogLevel.Warning, "The fate of message {MessageId} could not be recorded or announced; the message is kept and tried again in {Seconds} s")]
    public static partial void FateNotRecorded(ILogger logger, Exception exception, string messageId, double seconds);

    [LoggerMessage(9004, LogLevel.Warning, "The fate of message {MessageId} could not be recorded or announced before its visibility ran out; it is not deleted, and is recorded when it comes back")]
    public static partial void FateNotRecordedInTime(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(9005, LogLevel.Warning, "Task {TaskName} of entity {EntityId} was found in the dead-letter queue (message {MessageId}) without its fate recorded: recorded now; its last attempt did not end under a worker")]
    public static partial void DeadLetterReconciled(ILogger logger, string entityId, string taskName, string messageId);

    [LoggerMessage(9007, LogLevel.Warning, "The queue's redrive policy could not be read: whether message {MessageId} used its last attempt is unknown, so it is left to the policy (a move there is found by the dead-letter check)")]
    public static partial void LastAttemptUnknown(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(9006, LogLevel.Warning, "Looking in the dead-letter queue for unrecorded tasks failed; tried again in {Seconds} s")]
    public static partial void DeadLetterReconcileFailed(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(9101, LogLevel.Information, "SNS endpoint {Endpoint} is given and no AWS credentials were found: using dummy credentials, which a local SNS server accepts")]
    public static partial void DummyCredentialsForSnsEndpoint(ILogger logger, string endpoint);

    [LoggerMessage(10001, LogLevel.Warning, "The stored body {Payload} of message {MessageId} could not be read (receive {ReceiveCount}); the attempt failed and is retried")]
    public static partial void PayloadFetchFailed(ILogger logger, Exception exception, string messageId, string? payload, int receiveCount);

    [LoggerMessage(10002, LogLevel.Warning, "The stored body {Payload} of finished message {MessageId} could not be deleted; a bucket lifecycle rule must remove it")]
    public static partial void PayloadDeleteFailed(ILogger logger, Exception exception, string messageId, string payload);

    [LoggerMessage(10003, LogLevel.Debug, "Task {TaskName} of entity {EntityId} is {Size} bytes: its body is stored as {Payload} and a pointer is sent")]
    public static partial void PayloadStored(ILogger logger, string entityId, string taskName, int size, string payload);

    [LoggerMessage(10004, LogLevel.Warning, "Message {MessageId} points to the stored body {Payload} and has no task_name attribute: its task name is unknown until the body is fetched, so it runs without the task limits, as will every such message (logged once per worker); for limits to apply, the producer must write the task_name attribute, as TaskQueue does")]
    public static partial void UnnamedPointerNotLimited(ILogger logger, string messageId, string payload);
}
