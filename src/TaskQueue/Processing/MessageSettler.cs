using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Decides what becomes of a message once its handler has run: deleted only on success, and only while its lease holds;
/// on failure left in the queue with a visibility timeout that grows with its attempts (it comes back then and, after the
/// queue's maxReceiveCount, lands in the DLQ); or, while later messages of its group are held behind it, retried under
/// the worker's own lease and moved to the DLQ by the worker itself at the limit, so that no receive counts against
/// messages that never ran. A retry the handler asked for goes the same way after the delay it chose. Poison and tasks
/// without a handler are left the same way or moved to the DLQ at once, as configured; a dead letter the handler asked
/// for and a non-retryable exception are moved at once. Shared by the worker and ProcessOne.
/// </summary>
internal sealed class MessageSettler(
    ISqsClient sqs,
    TaskQueueOptions options,
    DeleteBatcher deletes,
    DeadLetterMover mover,
    DeadLetterQueueLocator redrivePolicy,
    TimeProvider timeProvider,
    ILogger logger,
    UnknownTaskHandling unknownTaskHandling = UnknownTaskHandling.FailAndLeaveForRedrive)
{
    /// <summary>How long a settling that could not be finished (a failed dead-letter move, an unreadable policy) waits to be tried again.</summary>
    private static readonly TimeSpan SettleAgainPause = TimeSpan.FromSeconds(1);

    /// <summary>Settles one run.</summary>
    /// <param name="message">The message, as its newest receive returned it.</param>
    /// <param name="result">How the run ended; its receive count is the attempt number.</param>
    /// <param name="receiptValidUntil">When the message's visibility ends.</param>
    /// <param name="leaseLost">True when the heartbeat saw the lease lost while the task ran.</param>
    /// <param name="mayRetryUnderLease">True when later messages of the group are held behind this one and the lease is kept alive.</param>
    /// <param name="cancellationToken">Stops waiting; a delete under way goes on.</param>
    public async Task<Settlement<TResult>> SettleAsync<TResult>(
        ReceivedMessage message,
        ProcessResult<TResult> result,
        ReceiptDeadline receiptValidUntil,
        bool leaseLost,
        bool mayRetryUnderLease,
        CancellationToken cancellationToken)
    {
        if (leaseLost || receiptValidUntil.HasPassed(timeProvider))
        {
            // Its receipt no longer holds it: deleting or changing it could act on another worker's receive.
            Log.RunEndedWithoutLease(logger, message.MessageId, result.Outcome);
            return new(result with { Outcome = ProcessOutcome.LeaseLost });
        }

        if (result.Outcome == ProcessOutcome.Completed)
        {
            // A delete is retried while its receipt is valid; the caller may stop waiting for it (it goes on regardless).
            return new(result with { Deleted = await deletes.DeleteAsync(message, receiptValidUntil).WaitAsync(cancellationToken).ConfigureAwait(false) });
        }

        if (MoveReason(result) is { } reason && await MoveAsync(message, result, reason, receiptValidUntil, cancellationToken).ConfigureAwait(false))
        {
            return new(result with { Deleted = true });
        }

        if (mayRetryUnderLease)
        {
            return await SettleUnderLeaseAsync(message, result, receiptValidUntil, cancellationToken).ConfigureAwait(false);
        }

        await BackOffAsync(message, result, cancellationToken).ConfigureAwait(false);
        return new(result);
    }

    /// <summary>
    /// A failed task with later messages of its group held behind it: retried under the lease until the queue's
    /// maxReceiveCount, then moved to the DLQ. What cannot be done now (the policy cannot be read, the move fails) is tried
    /// again after a pause, still under the lease: handing the task back would cost each message behind it a receive.
    /// Only a queue without a redrive policy lets it go back, since there no receive count matters.
    /// </summary>
    private async Task<Settlement<TResult>> SettleUnderLeaseAsync<TResult>(
        ReceivedMessage message, ProcessResult<TResult> result, ReceiptDeadline receiptValidUntil, CancellationToken cancellationToken)
    {
        int? limit;
        try
        {
            limit = await redrivePolicy.GetMaxReceiveCountAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TaskQueueException ex)
        {
            Log.RedrivePolicyUnreadable(logger, ex, SettleAgainPause.TotalSeconds);
            return new(result, SettleAgainPause, SettleAgain: true);
        }

        if (limit is not { } max)
        {
            await BackOffAsync(message, result, cancellationToken).ConfigureAwait(false);
            return new(result);
        }

        if (result.ReceiveCount < max)
        {
            var delay = RetryDelay(result) ?? TimeSpan.Zero;
            Log.RetryingUnderLease(logger, message.MessageId, result.ReceiveCount, max, delay.TotalSeconds);
            return new(result, delay);
        }

        if (await MoveAsync(message, result, $"failed {result.ReceiveCount} attempts, the queue's maxReceiveCount", receiptValidUntil, cancellationToken).ConfigureAwait(false))
        {
            return new(result with { Deleted = true });
        }

        Log.DeadLetterMoveRetrying(logger, message.MessageId, SettleAgainPause.TotalSeconds);
        return new(result, SettleAgainPause, SettleAgain: true);
    }

    /// <summary>Why the message goes straight to the DLQ, or null when it stays for a retry.</summary>
    private string? MoveReason<TResult>(ProcessResult<TResult> result) => result switch
    {
        { Outcome: ProcessOutcome.Poison } when options.PoisonMessageHandling == PoisonMessageHandling.MoveToDeadLetterQueue => result.PoisonReason,
        { Error: TaskHandlerNotFoundException notFound } when unknownTaskHandling == UnknownTaskHandling.MoveToDeadLetterQueue => notFound.Message,
        { Outcome: ProcessOutcome.DeadLetterRequested } => result.DeadLetterReason,
        { Error: { } error } when options.NonRetryableExceptions.Any(type => type.IsInstanceOfType(error)) => $"non-retryable {error.GetType().FullName}: {error.Message}",
        _ => null,
    };

    /// <summary>The delay the handler chose, else the backoff's; null when a failed task keeps the visibility it was received with.</summary>
    private TimeSpan? RetryDelay<TResult>(ProcessResult<TResult> result) =>
        result.RetryDelay ?? (options.RetryBackoff.Enabled ? options.RetryBackoff.JitteredDelayFor(result.ReceiveCount) : null);

    /// <summary>Moves the message to the DLQ; false, logged, when that failed (it stays where it is).</summary>
    private async Task<bool> MoveAsync<TResult>(
        ReceivedMessage message, ProcessResult<TResult> result, string reason, ReceiptDeadline receiptValidUntil, CancellationToken cancellationToken)
    {
        try
        {
            if (!await mover.MoveAsync(message, reason, result.ReceiveCount, receiptValidUntil, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
        catch (TaskQueueException ex)
        {
            Log.DeadLetterMoveFailed(logger, ex, message.MessageId);
            return false;
        }

        TaskQueueInstruments.TasksDeadLettered.Add(1, MessagingSpans.TaskTags(result.Task?.TaskName ?? "(poison)"));
        return true;
    }

    /// <summary>Sets the failed message's visibility to the delay its handler chose or the backoff's, so it does not come back at full speed.</summary>
    private async Task BackOffAsync<TResult>(ReceivedMessage message, ProcessResult<TResult> result, CancellationToken cancellationToken)
    {
        if (RetryDelay(result) is not { } delay)
        {
            return;
        }

        var attempt = result.ReceiveCount;
        try
        {
            await sqs.ChangeMessageVisibilityAsync(options.QueueUrl, message.ReceiptHandle, delay, cancellationToken).ConfigureAwait(false);
            Log.RetryScheduled(logger, message.MessageId, attempt, delay.TotalSeconds);
        }
        catch (TaskQueueException ex)
        {
            // The message still comes back, after the visibility timeout it was received with.
            Log.BackoffFailed(logger, ex, message.MessageId);
        }
    }
}
