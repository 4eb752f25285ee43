using Microsoft.Extensions.Logging;
using TaskQueue.Acknowledgement;
using TaskQueue.Configuration;
using TaskQueue.Logging;
using TaskQueue.Routing;
using TaskQueue.Sqs;
using TaskQueue.Telemetry;

namespace TaskQueue.Processing;

/// <summary>
/// Decides what becomes of a message once its handler has run: deleted only on success; on failure
/// left in the queue with a visibility timeout that grows with its receive count (it comes back then
/// and, after the queue's maxReceiveCount, lands in the DLQ); poison and tasks without a handler left
/// the same way or moved to the DLQ at once, as configured. Shared by the worker and ProcessOne.
/// </summary>
internal sealed class MessageSettler(
    ISqsClient sqs, TaskQueueOptions options, DeleteBatcher deletes, DeadLetterMover mover, ILogger logger,
    UnknownTaskHandling unknownTaskHandling = UnknownTaskHandling.FailAndLeaveForRedrive)
{
    public async Task<ProcessResult<TResult>> SettleAsync<TResult>(
        ReceivedMessage message, ProcessResult<TResult> result, DateTimeOffset receiptValidUntil, CancellationToken cancellationToken)
    {
        if (result.Outcome == ProcessOutcome.Completed)
        {
            // A delete is retried while its receipt is valid; the caller may stop waiting for it (it goes on regardless).
            return result with { Deleted = await deletes.DeleteAsync(message, receiptValidUntil).WaitAsync(cancellationToken).ConfigureAwait(false) };
        }

        if (MoveReason(result) is { } reason)
        {
            var moved = await mover.MoveAsync(message, reason, receiptValidUntil, cancellationToken).ConfigureAwait(false);
            if (moved)
            {
                TaskQueueInstruments.TasksDeadLettered.Add(1, MessagingSpans.TaskTags(result.Task?.TaskName ?? "(poison)"));
                return result with { Deleted = true };
            }
        }

        await BackOffAsync(message, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Why the message goes straight to the DLQ, or null when it stays for a retry.</summary>
    private string? MoveReason<TResult>(ProcessResult<TResult> result) => result switch
    {
        { Outcome: ProcessOutcome.Poison } when options.PoisonMessageHandling == PoisonMessageHandling.MoveToDeadLetterQueue => result.PoisonReason,
        { Error: TaskHandlerNotFoundException notFound } when unknownTaskHandling == UnknownTaskHandling.MoveToDeadLetterQueue => notFound.Message,
        _ => null,
    };

    /// <summary>Sets the failed message's visibility to the backoff delay for its receive count, so it does not come back at full speed.</summary>
    private async Task BackOffAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (!options.RetryBackoff.Enabled)
        {
            return;
        }

        var delay = options.RetryBackoff.DelayFor(message.ReceiveCount);
        try
        {
            await sqs.ChangeMessageVisibilityAsync(options.QueueUrl, message.ReceiptHandle, delay, cancellationToken).ConfigureAwait(false);
            Log.RetryScheduled(logger, message.MessageId, message.ReceiveCount, delay.TotalSeconds);
        }
        catch (TaskQueueException ex)
        {
            // The message still comes back, after the visibility timeout it was received with.
            Log.BackoffFailed(logger, ex, message.MessageId);
        }
    }
}
