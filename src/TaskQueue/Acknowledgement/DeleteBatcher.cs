using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Deletes finished messages in DeleteMessageBatch calls: a batch goes out when it has 10 entries or
/// when the flush interval since its first entry has passed. Entries that fail for a reason a retry
/// can mend (throttling, a server or network fault) are sent again while their receipt handle is
/// still valid (pauses doubling from 200 ms to 5 s, closer together as a receipt nears its end), because a lost delete means a finished task runs again.
/// </summary>
internal sealed class DeleteBatcher(ISqsClient sqs, string queueUrl, TimeSpan flushInterval, TimeProvider timeProvider, ILogger logger)
{
    private const int MaxEntries = SqsLimits.MaxBatchEntries;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Sent batches' lists kept for reuse: a poller's batches rarely have more than a few sends in flight.</summary>
    private const int SpareBatches = 8;

    private readonly Lock _lock = new();
    private readonly List<Task> _sends = [];
    private List<PendingDelete> _pending = new(MaxEntries);

    /// <summary>Lists of batches whose send has ended, for the batches to come: a batch's list is most of what it allocates.</summary>
    private readonly Stack<List<PendingDelete>> _spareBatches = new();

    /// <summary>Runs while deletes are pending (armed by a batch's first entry, stopped when the batch is taken).</summary>
    private ITimer? _timer;

    /// <summary>Queues a delete.</summary>
    /// <param name="message">The finished message.</param>
    /// <param name="receiptValidUntil">When its visibility timeout ends: past it, the receipt handle no longer deletes it.</param>
    /// <returns>True once SQS has deleted it; false when every attempt failed (the failure is logged with the message id).</returns>
    public Task<bool> DeleteAsync(ReceivedMessage message, ReceiptDeadline receiptValidUntil)
    {
        var pending = new PendingDelete(message, receiptValidUntil, afterDeleted: null, awaited: true);
        Add(pending);
        return pending.Completion!.Task;
    }

    /// <summary>
    /// Queues a delete nobody waits for: the common case of a completed task, which costs no waiting machinery. A failure
    /// is logged with the message id, as for <see cref="DeleteAsync"/>.
    /// </summary>
    /// <param name="message">The finished message.</param>
    /// <param name="receiptValidUntil">When its visibility timeout ends.</param>
    /// <param name="afterDeleted">Called once SQS has deleted it; null for nothing.</param>
    public void DeleteInBackground(ReceivedMessage message, ReceiptDeadline receiptValidUntil, Action<ReceivedMessage>? afterDeleted) =>
        Add(new PendingDelete(message, receiptValidUntil, afterDeleted, awaited: false));

    private void Add(PendingDelete pending)
    {
        if (flushInterval <= TimeSpan.Zero)
        {
            // Nothing to wait for: one message, one call, at once.
            StartSend([pending]);
            return;
        }

        List<PendingDelete>? full = null;
        lock (_lock)
        {
            _pending.Add(pending);
            if (_pending.Count >= MaxEntries)
            {
                full = TakePending();
            }
            else if (_pending.Count == 1)
            {
                ArmTimer();
            }
        }

        if (full is not null)
        {
            StartSend(full);
        }
    }

    /// <summary>Sends what is pending now and waits until every delete sent so far has ended.</summary>
    /// <returns>A task that completes when no delete is outstanding.</returns>
    public async Task FlushAsync()
    {
        FlushPending();
        Task[] sends;
        lock (_lock)
        {
            sends = [.. _sends];
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    /// <summary>Sends what is pending now, without waiting for the flush interval or for the send to end.</summary>
    public void SendPendingNow() => FlushPending();

    private void FlushPending()
    {
        List<PendingDelete>? batch;
        lock (_lock)
        {
            batch = TakePending();
        }

        if (batch is not null)
        {
            StartSend(batch);
        }
    }

    /// <summary>The pending deletes as a batch, under the lock; null when there are none.</summary>
    private List<PendingDelete>? TakePending()
    {
        if (_pending.Count == 0)
        {
            return null;
        }

        var batch = _pending;
        _pending = _spareBatches.TryPop(out var spare) ? spare : new List<PendingDelete>(MaxEntries);

        // Pending deletes armed the timer with their first.
        _timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return batch;
    }

    /// <summary>
    /// Starts the flush interval of a batch's first entry, under the lock. One timer serves every batch, re-armed rather
    /// than made anew, and its callback takes the batcher as state: a batch costs no timer and no callback.
    /// </summary>
    private void ArmTimer()
    {
        if (_timer is null)
        {
            _timer = timeProvider.CreateTimer(static batcher => ((DeleteBatcher)batcher!).FlushPending(), this, flushInterval, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(flushInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void StartSend(List<PendingDelete> batch)
    {
        // Started on the caller's thread: the first request goes out at once, and SendAsync never blocks before its first await.
        var send = SendAsync(batch);
        lock (_lock)
        {
            _sends.RemoveAll(t => t.IsCompleted);
            _sends.Add(send);
        }
    }

    /// <summary>Sends a batch, and again what failed for a reason a retry can mend, for as long as each receipt handle is valid.</summary>
    private async Task SendAsync(List<PendingDelete> batch)
    {
        try
        {
            var remaining = batch;
            for (var attempt = 1; remaining.Count > 0; attempt++)
            {
                // The call is awaited here rather than in a method of its own: a batch costs one state machine, not two.
                BatchResult? result = null;
                try
                {
                    result = await sqs.DeleteMessageBatchAsync(queueUrl, BatchEntryIds.Entries(remaining, static (p, id) => new ReceiptEntry(id, p.Message.ReceiptHandle)), CancellationToken.None).ConfigureAwait(false);
                }
                catch (TaskQueueException ex)
                {
                    Log.DeleteBatchFailed(logger, ex, remaining.Count);
                    if (!ex.IsTransient)
                    {
                        foreach (var pending in remaining)
                        {
                            pending.End(deleted: false);
                        }

                        return;
                    }
                }

                if ((result is null ? remaining : Settle(remaining, result)) is not { Count: > 0 } retry)
                {
                    return;
                }

                await Task.Delay(RetryPause(attempt, retry), timeProvider).ConfigureAwait(false);

                // One last try past this worker's deadline: its clock is conservative (an extension whose answer was lost
                // counts for nothing), and when an earlier delete went through unanswered SQS answers this one with success.
                var spent = new List<PendingDelete>();
                remaining = new List<PendingDelete>(retry.Count);
                foreach (var pending in retry)
                {
                    (pending.ReceiptValidUntil.HasPassed(timeProvider) && pending.TriedPastDeadline ? spent : remaining).Add(pending);
                }

                GiveUp(spent, attempt);
                for (var i = 0; i < remaining.Count; i++)
                {
                    if (remaining[i].ReceiptValidUntil.HasPassed(timeProvider))
                    {
                        remaining[i] = remaining[i] with { TriedPastDeadline = true };
                    }
                }
            }
        }
        finally
        {
            Recycle(batch);
        }
    }

    /// <summary>Keeps a sent batch's list for a batch to come (emptied: it must not hold finished messages), a few at most.</summary>
    private void Recycle(List<PendingDelete> batch)
    {
        if (batch.Capacity < MaxEntries)
        {
            return;
        }

        batch.Clear();
        lock (_lock)
        {
            if (_spareBatches.Count < SpareBatches)
            {
                _spareBatches.Push(batch);
            }
        }
    }

    /// <summary>
    /// Doubling from 200 ms up to 5 s, but never more than half the time the first receipt has left: the last
    /// tries come close together before it expires, so a server back after a short outage still gets the delete.
    /// </summary>
    private TimeSpan RetryPause(int attempt, List<PendingDelete> retry)
    {
        var doubling = Math.Min(FirstRetryDelay.Ticks << Math.Min(attempt - 1, 16), MaxRetryDelay.Ticks);
        var halfOfRemaining = retry.Min(p => p.ReceiptValidUntil.Remaining(timeProvider)).Ticks / 2;
        return TimeSpan.FromTicks(Math.Max(MinRetryDelay.Ticks, Math.Min(doubling, halfOfRemaining)));
    }

    private void GiveUp(IEnumerable<PendingDelete> deletes, int attempts)
    {
        foreach (var pending in deletes)
        {
            Log.DeleteGaveUp(logger, pending.Message.MessageId, attempts);
            pending.End(deleted: false);
        }
    }

    /// <summary>Completes the entries of a DeleteMessageBatch call that ended and returns those worth retrying (null for none).</summary>
    private List<PendingDelete>? Settle(List<PendingDelete> batch, BatchResult result)
    {
        // Indexed, not enumerated: an interface's enumerator would cost every batch an allocation.
        var succeeded = result.SuccessfulIds;
        for (var i = 0; i < succeeded.Count; i++)
        {
            batch[BatchEntryIds.PositionOf(succeeded[i])].End(deleted: true);
        }

        if (result.Failed.Count == 0)
        {
            return null;
        }

        var retry = new List<PendingDelete>();
        foreach (var failure in result.Failed)
        {
            var pending = batch[BatchEntryIds.PositionOf(failure.Id)];
            if (failure.SenderFault)
            {
                Log.DeleteRejected(logger, pending.Message.MessageId, failure.Code, failure.Message);
                pending.End(deleted: false);
            }
            else
            {
                retry.Add(pending);
            }
        }

        return retry;
    }

    /// <summary>A delete waiting for its batch, and who hears how it ended.</summary>
    /// <remarks>A value, not an object: it lives in its batch's list, so a delete costs no allocation of its own.</remarks>
    private readonly struct PendingDelete(ReceivedMessage message, ReceiptDeadline receiptValidUntil, Action<ReceivedMessage>? afterDeleted, bool awaited)
    {
        public ReceivedMessage Message { get; } = message;

        public ReceiptDeadline ReceiptValidUntil { get; } = receiptValidUntil;

        /// <summary>Completed with whether SQS deleted the message; null when nobody waits for it.</summary>
        public TaskCompletionSource<bool>? Completion { get; } = awaited ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;

        /// <summary>True once its last try, made after the receipt's deadline, is under way.</summary>
        public bool TriedPastDeadline { get; init; }

        /// <summary>The delete has ended, done or given up (already logged).</summary>
        public void End(bool deleted)
        {
            if (Completion is { } completion && !completion.TrySetResult(deleted))
            {
                return;
            }

            if (deleted)
            {
                afterDeleted?.Invoke(Message);
            }
        }
    }
}
