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
/// With entity tracking, a finished task's fate is recorded (and its batch's completion announced) before its message
/// is deleted, and a tracked task that fails its last allowed attempt is moved to the DLQ by TaskQueue, not left to the
/// redrive policy, whose moves no worker sees (see <see cref="EntityCompletionTracker"/>).
/// </summary>
internal sealed class MessageSettler(
    ISqsClient sqs,
    TaskQueueOptions options,
    DeleteBatcher deletes,
    DeadLetterMover mover,
    DeadLetterQueueLocator redrivePolicy,
    TimeProvider timeProvider,
    ILogger logger,
    UnknownTaskHandling unknownTaskHandling = UnknownTaskHandling.FailAndLeaveForRedrive,
    EntityCompletionTracker? tracker = null,
    PayloadCleanup? payloads = null)
{
    /// <summary>Deletes a deleted pointer message's stored body; null when there is no cleanup to do.</summary>
    private readonly Action<ReceivedMessage>? _afterCompletedDelete = payloads is null ? null : payloads.AfterMessageDeleted;

    /// <summary>True when finished tasks are recorded before their delete: the delete then waits for the ledger.</summary>
    public bool TracksEntities => tracker is not null;

    /// <summary>How long a settling that could not be finished (a failed dead-letter move, an unreadable policy) waits to be tried again.</summary>
    private static readonly TimeSpan SettleAgainPause = TimeSpan.FromSeconds(1);

    /// <summary>Settles one run.</summary>
    /// <param name="message">The message, as its newest receive returned it.</param>
    /// <param name="result">How the run ended; its receive count is the attempt number.</param>
    /// <param name="receiptValidUntil">When the message's visibility ends.</param>
    /// <param name="leaseLost">True when the heartbeat saw the lease lost while the task ran.</param>
    /// <param name="mayRetryUnderLease">True when later messages of the group are held behind this one and the lease is kept alive.</param>
    /// <param name="cancellationToken">Stops waiting; a delete under way goes on.</param>
    /// <param name="leaseKeptAlive">
    /// True when the caller's heartbeat can keep the message while a settling that could not be finished waits to be
    /// tried again (the worker); false when only the receipt's remaining visibility is left (ProcessOne).
    /// </param>
    public async Task<Settlement<TResult>> SettleAsync<TResult>(
        ReceivedMessage message,
        ProcessResult<TResult> result,
        ReceiptDeadline receiptValidUntil,
        bool leaseLost,
        bool mayRetryUnderLease,
        CancellationToken cancellationToken,
        bool leaseKeptAlive = false)
    {
        if (leaseLost || receiptValidUntil.HasPassed(timeProvider))
        {
            // Its receipt no longer holds it: deleting or changing it could act on another worker's receive.
            Log.RunEndedWithoutLease(logger, message.MessageId, result.Outcome);
            return new(result with { Outcome = ProcessOutcome.LeaseLost });
        }

        if (result.Outcome == ProcessOutcome.Completed)
        {
            if (!result.FateRecorded
                && !await RecordFinishedAsync(message, result, EntityTaskState.Completed, reason: null, receiptValidUntil, leaseKeptAlive, cancellationToken).ConfigureAwait(false))
            {
                // Not recorded, so not deleted: kept under the lease and tried again, or left to come back.
                return leaseKeptAlive ? new(result, SettleAgainPause, SettleAgain: true) : new(result);
            }

            // A delete is retried while its receipt is valid; the caller may stop waiting for it (it goes on regardless).
            return new(result with { Deleted = await DeleteCompletedAsync(message, receiptValidUntil).WaitAsync(cancellationToken).ConfigureAwait(false) });
        }

        if (tracker is not null && result.Outcome is ProcessOutcome.Failed or ProcessOutcome.RetryRequested && !result.FailureRecorded)
        {
            // An attempt the DLQ ends is not noted: the dead-lettering's record follows with its attempts and error, and a
            // note first would be a second ledger write for the same.
            if (MoveReason(result) is null && !await IsTrackedLastAttemptAsync(result, cancellationToken).ConfigureAwait(false))
            {
                await tracker.RecordFailedAttemptAsync(result.Task, result.ReceiveCount, FailureOf(result), result.Duration, cancellationToken).ConfigureAwait(false);
            }

            // Settled again after a pause (a move that failed), the attempt is not weighed or written again.
            result = result with { FailureRecorded = true };
        }

        if (MoveReason(result) is { } reason
            && AfterMove(result, await MoveAsync(message, result, reason, receiptValidUntil, leaseKeptAlive, cancellationToken).ConfigureAwait(false), leaseKeptAlive) is { } moved)
        {
            return moved;
        }

        if (mayRetryUnderLease)
        {
            return await SettleUnderLeaseAsync(message, result, receiptValidUntil, cancellationToken).ConfigureAwait(false);
        }

        if (await IsTrackedLastAttemptAsync(result, cancellationToken).ConfigureAwait(false)
            && await MoveAtLimitAsync(message, result, receiptValidUntil, leaseKeptAlive, cancellationToken).ConfigureAwait(false) is { } movedAtLimit)
        {
            return movedAtLimit;
        }

        await BackOffAsync(message, result, cancellationToken).ConfigureAwait(false);
        return new(result);
    }

    /// <summary>Deletes a completed task's message (batched), then its stored body when it has one.</summary>
    /// <param name="message">The message.</param>
    /// <param name="receiptValidUntil">When its receipt stops holding it.</param>
    /// <returns>True once SQS has deleted the message.</returns>
    public async Task<bool> DeleteCompletedAsync(ReceivedMessage message, ReceiptDeadline receiptValidUntil)
    {
        var deleted = await deletes.DeleteAsync(message, receiptValidUntil).ConfigureAwait(false);
        if (deleted && payloads is not null)
        {
            await payloads.AfterMessageDeletedAsync(message).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>
    /// Deletes a completed task's message (batched), then its stored body, for a caller that does not wait: nothing is
    /// allocated to wait with. A delete that fails for good is logged by the batcher; shutdown flushes it.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="receiptValidUntil">When its receipt stops holding it.</param>
    public void DeleteCompletedInBackground(ReceivedMessage message, ReceiptDeadline receiptValidUntil) =>
        deletes.DeleteInBackground(message, receiptValidUntil, _afterCompletedDelete);

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

        return await MoveAtLimitAsync(message, result, receiptValidUntil, leaseKeptAlive: true, cancellationToken).ConfigureAwait(false)
            ?? throw new System.Diagnostics.UnreachableException("Under the lease a move that fails is tried again.");
    }

    /// <summary>
    /// Moves a task that failed its last allowed attempt to the DLQ. A move that fails is tried again after a pause under
    /// the lease when the caller keeps it alive: handed back, the task's next receive would be past the limit, and the
    /// redrive policy would move it where no worker records its fate. Null when it failed without a lease to wait under.
    /// </summary>
    private async Task<Settlement<TResult>?> MoveAtLimitAsync<TResult>(
        ReceivedMessage message, ProcessResult<TResult> result, ReceiptDeadline receiptValidUntil, bool leaseKeptAlive, CancellationToken cancellationToken)
    {
        var move = await MoveAsync(message, result, LastAttemptReason(result), receiptValidUntil, leaseKeptAlive, cancellationToken).ConfigureAwait(false);
        if (AfterMove(result, move, leaseKeptAlive) is { } moved)
        {
            return moved;
        }

        if (!leaseKeptAlive)
        {
            return null;
        }

        Log.DeadLetterMoveRetrying(logger, message.MessageId, SettleAgainPause.TotalSeconds);
        return new(result, SettleAgainPause, SettleAgain: true);
    }

    /// <summary>
    /// Records a completed run's fate (and announces its batch's completion) ahead of its delete, for a caller that sends
    /// the delete without waiting for it. Null when recorded (or untracked); else how long to wait before trying again
    /// under the lease, which the caller keeps alive, or, without one, <see cref="TimeSpan.Zero"/>: the message then
    /// stays, to be recorded when it comes back.
    /// </summary>
    public async Task<TimeSpan?> RecordCompletedAsync<TResult>(ReceivedMessage message, ProcessResult<TResult> result, ReceiptDeadline receiptValidUntil, bool leaseKeptAlive) =>
        await RecordFinishedAsync(message, result, EntityTaskState.Completed, reason: null, receiptValidUntil, leaseKeptAlive, CancellationToken.None).ConfigureAwait(false)
            ? null
            : leaseKeptAlive ? SettleAgainPause : TimeSpan.Zero;

    /// <summary>
    /// True for a tracked task that failed its last allowed attempt: the worker moves it itself so that the ledger hears
    /// of it. An unreadable policy leaves it to the redrive policy, as without tracking.
    /// </summary>
    private async Task<bool> IsTrackedLastAttemptAsync<TResult>(ProcessResult<TResult> result, CancellationToken cancellationToken)
    {
        if (tracker is null || !EntityCompletionTracker.IsTracked(result.Task) || result.Outcome is not (ProcessOutcome.Failed or ProcessOutcome.RetryRequested))
        {
            return false;
        }

        try
        {
            return await redrivePolicy.GetMaxReceiveCountAsync(cancellationToken).ConfigureAwait(false) is { } max && result.ReceiveCount >= max;
        }
        catch (TaskQueueException ex)
        {
            Log.LastAttemptUnknown(logger, ex, result.MessageId);
            return false;
        }
    }

    private static string LastAttemptReason<TResult>(ProcessResult<TResult> result) =>
        $"failed {result.ReceiveCount} attempts, the queue's maxReceiveCount";

    /// <summary>What a failed attempt's ledger entry says went wrong.</summary>
    private static string FailureOf<TResult>(ProcessResult<TResult> result) =>
        result.Error is { } error ? $"{error.GetType().Name}: {error.Message}" : "the handler asked for a retry";

    /// <summary>
    /// Records a finished task's fate (and announces its batch's completion) before its message is deleted. True when
    /// recorded or untracked; false keeps the message. Tried once when the caller keeps the lease alive and tries the
    /// settling again; otherwise tried again here while the receipt holds, and then left to be recorded when it comes back.
    /// </summary>
    private async Task<bool> RecordFinishedAsync<TResult>(
        ReceivedMessage message,
        ProcessResult<TResult> result,
        EntityTaskState state,
        string? reason,
        ReceiptDeadline receiptValidUntil,
        bool triedAgainByCaller,
        CancellationToken cancellationToken)
    {
        if (tracker is null || !EntityCompletionTracker.IsTracked(result.Task))
        {
            return true;
        }

        var lastError = state == EntityTaskState.DeadLettered && result.Error is { } error ? $"{reason} (last error {FailureOf(result)})" : reason;
        for (var pause = SettleAgainPause; ; pause *= 2)
        {
            try
            {
                await tracker.RecordFinishedAsync(message.MessageId, result.Task, state, result.ReceiveCount, lastError, result.Duration, cancellationToken).ConfigureAwait(false);
                return true;
            }
#pragma warning disable CA1031 // The ledger and the completion handlers are the application's: any failure keeps the message.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                if (triedAgainByCaller)
                {
                    Log.FateNotRecorded(logger, ex, message.MessageId, SettleAgainPause.TotalSeconds);
                    return false;
                }

                // Another try only while the receipt outlasts the pause with room for the try and the delete.
                if (receiptValidUntil.Remaining(timeProvider) > pause * 2)
                {
                    Log.FateNotRecorded(logger, ex, message.MessageId, pause.TotalSeconds);
                    await Task.Delay(pause, timeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                Log.FateNotRecordedInTime(logger, ex, message.MessageId);
                return false;
            }
        }
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

    /// <summary>
    /// The settlement after a move: done when moved; when only the copy got there, the rest is tried again under the lease
    /// when it is kept alive (without a second copy), else the message stays as it is; null when nothing moved and the
    /// caller goes on.
    /// </summary>
    private static Settlement<TResult>? AfterMove<TResult>(ProcessResult<TResult> result, DeadLetterMove move, bool leaseKeptAlive) => move switch
    {
        DeadLetterMove.Moved => new(result with { Deleted = true }),
        DeadLetterMove.Copied when leaseKeptAlive => new(result with { DeadLetterCopied = true }, SettleAgainPause, SettleAgain: true),
        DeadLetterMove.Copied => new(result),
        _ => null,
    };

    /// <summary>Moves the message to the DLQ (recording the fate between the copy and the delete); how far it got, failures logged.</summary>
    private async Task<DeadLetterMove> MoveAsync<TResult>(
        ReceivedMessage message, ProcessResult<TResult> result, string reason, ReceiptDeadline receiptValidUntil, bool leaseKeptAlive, CancellationToken cancellationToken)
    {
        DeadLetterMove move;
        try
        {
            Func<CancellationToken, Task<bool>>? record = tracker is null
                ? null
                : token => RecordFinishedAsync(message, result, EntityTaskState.DeadLettered, reason, receiptValidUntil, triedAgainByCaller: leaseKeptAlive, token);
            move = await mover.MoveAsync(message, result.Task, reason, result.ReceiveCount, receiptValidUntil, cancellationToken, record, result.DeadLetterCopied).ConfigureAwait(false);
        }
        catch (TaskQueueException ex)
        {
            Log.DeadLetterMoveFailed(logger, ex, message.MessageId);
            return result.DeadLetterCopied ? DeadLetterMove.Copied : DeadLetterMove.NotMoved;
        }

        if (move == DeadLetterMove.Moved)
        {
            TaskQueueInstruments.TasksDeadLettered.Add(1, MessagingSpans.TaskTags(result.Task?.TaskName ?? "(poison)"));
        }

        return move;
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
