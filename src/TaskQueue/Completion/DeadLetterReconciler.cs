using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Records in the ledger the tracked tasks that reached the dead-letter queue without a worker seeing it. With tracking,
/// a worker moves a task that failed its last attempt itself; only a worker that died (or lost its lease) during that
/// attempt leaves the move to the queue's redrive policy, and then no fate would ever be recorded and the batch would
/// never complete. So the worker looks in the DLQ now and then (one attribute read while it is empty), holds each dead
/// letter while it records it, as the worker holds a task, so the announcement's claim (the dead letter's message id)
/// passes on if it dies, and releases it after.
/// A FIFO DLQ hands out a group's messages in order and none while one is held, so a dead letter is reached only when at
/// most the few a receive returns of its group (one, on servers that return one per group) sit ahead of it: one behind
/// others of its own entity and task waits until those are redriven or deleted.
/// </summary>
internal sealed class DeadLetterReconciler(
    ISqsClient sqs, DeadLetterQueueLocator deadLetterQueue, IEntityLedger ledger, EntityCompletionTracker tracker, TaskBodyReader bodies, ILogger logger)
{
    /// <summary>How many dead letters one pass looks at, at most.</summary>
    public const int MaxPerPass = 100;

    /// <summary>Why a task found this way is dead-lettered.</summary>
    public const string Reason = "moved to the dead-letter queue by the queue's redrive policy (its last attempt did not end under a worker)";

    /// <summary>Long enough to record one page of dead letters; a reconciler that dies holding them hands them on after it.</summary>
    private static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(30);

    /// <summary>Dead letters this worker has reconciled: a pass skips them without reading the ledger. Bounded.</summary>
    private readonly HashSet<string> _settled = new(StringComparer.Ordinal);

    /// <summary>Runs one pass.</summary>
    /// <param name="cancellationToken">Stops the pass; what it holds is still released.</param>
    /// <returns>How many tasks it recorded as dead-lettered.</returns>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        if (await deadLetterQueue.GetUrlAsync(cancellationToken).ConfigureAwait(false) is not { } url || !await HasMessagesAsync(url, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        // Every page stays held until the pass ends, so that the next receive brings other dead letters, not these again.
        var held = new List<ReceivedMessage>();
        var recorded = 0;
        try
        {
            while (held.Count < MaxPerPass)
            {
                var page = await sqs.ReceiveMessagesAsync(url, new ReceiveOptions(SqsLimits.MaxBatchEntries, TimeSpan.Zero, HoldFor), cancellationToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    break;
                }

                held.AddRange(page);
                foreach (var message in page)
                {
                    recorded += await ReconcileAsync(message, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                }
            }
        }
        finally
        {
            await VisibilityReleaser.ReleaseAsync(sqs, url, held, logger).ConfigureAwait(false);
        }

        if (_settled.Count > MaxPerPass * 100)
        {
            _settled.Clear();
        }

        return recorded;
    }

    /// <summary>
    /// Who may claim the announcement through this dead letter: the task's own message id. A copy TaskQueue moved here
    /// carries it as its deduplication id (a worker that sent the copy may have claimed with it and died); a message the
    /// redrive policy moved is the task's message itself.
    /// </summary>
    private static string ClaimantOf(ReceivedMessage message) =>
        DeadLetterNote.Attempts(message.Attributes) is not null
        && message.SystemAttributes.TryGetValue(SystemAttributeNames.MessageDeduplicationId, out var original)
        && !string.IsNullOrEmpty(original)
            ? original
            : message.MessageId;

    private async Task<bool> HasMessagesAsync(string url, CancellationToken cancellationToken)
    {
        var attributes = await sqs.GetQueueAttributesAsync(url, [QueueAttributeNames.ApproximateNumberOfMessages], cancellationToken).ConfigureAwait(false);
        return !attributes.TryGetValue(QueueAttributeNames.ApproximateNumberOfMessages, out var count) || count != "0";
    }

    /// <summary>
    /// Records one dead letter when its task is still pending, or when its batch waits for an announcement this dead
    /// letter may hold the claim of; otherwise it is known already.
    /// </summary>
    private async Task<bool> ReconcileAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (_settled.Contains(message.MessageId))
        {
            return false;
        }

        // A pointer's stored body is fetched: its fate needs what only the body holds (the batch's size, the enqueue time).
        var reading = await bodies.ReadAsync(message, cancellationToken).ConfigureAwait(false);
        if (reading.FetchError is not null)
        {
            // Not settled: the next pass tries again.
            return false;
        }

        var task = reading.Task;
        if (task is null || !EntityCompletionTracker.IsTracked(task))
        {
            _settled.Add(message.MessageId);
            return false;
        }

        var batch = (await ledger.GetBatchesAsync(task.EntityId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => b.BatchId == task.BatchId);
        var state = batch?.Tasks.FirstOrDefault(t => t.TaskName == task.TaskName)?.State ?? EntityTaskState.Pending;
        var unannounced = batch is { IsComplete: true } && batch.AnnouncedRevision < batch.Revision;
        // A completed task's dead letter (a duplicate delivery that failed) changes nothing, but when its batch waits for
        // an announcement this message may hold the claim of (its earlier holder lost it), so it is recorded all the same.
        if (state != EntityTaskState.Pending && !unannounced)
        {
            _settled.Add(message.MessageId);
            return false;
        }

        var attempts = DeadLetterPeeker.Describe(message).Attempts ?? message.ReceiveCount;
        await tracker.RecordFinishedAsync(ClaimantOf(message), task, EntityTaskState.DeadLettered, attempts, Reason, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        _settled.Add(message.MessageId);
        if (state == EntityTaskState.Pending)
        {
            Log.DeadLetterReconciled(logger, task.EntityId, task.TaskName, message.MessageId);
            return true;
        }

        return false;
    }
}
