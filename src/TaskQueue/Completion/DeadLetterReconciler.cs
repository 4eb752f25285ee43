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
/// A FIFO DLQ hands out a group's messages in order and none while one is held, so a dead letter behind a held one of its
/// group is not returned by the pass's next page: when messages are still visible after the pages run dry, each held
/// group is let go and received again on its own, bringing back its messages in order, up to a receive's worth. A dead
/// letter is thus reached when fewer than a receive's worth of its group sit ahead of it (10 on SQS; one on servers that
/// return one message per group); one further behind waits until those are redriven or deleted.
/// </summary>
internal sealed class DeadLetterReconciler(
    ISqsClient sqs, DeadLetterQueueLocator deadLetterQueue, IEntityLedger ledger, EntityCompletionTracker tracker, TaskBodyReader bodies, ILogger logger)
{
    /// <summary>How many dead letters one pass looks at, at most.</summary>
    public const int MaxPerPass = 100;

    /// <summary>
    /// How many held groups one pass lets go and receives again, at most (a release and a receive each): a dead letter
    /// no receive can reach (too far behind in its group) keeps the queue's count up, and would otherwise cost a pair
    /// for every held group on every pass.
    /// </summary>
    public const int MaxGroupsLookedBehind = 10;

    /// <summary>Why a task found this way is dead-lettered.</summary>
    public const string Reason = "moved to the dead-letter queue by the queue's redrive policy (its last attempt did not end under a worker)";

    /// <summary>Long enough to record one page of dead letters; a reconciler that dies holding them hands them on after it.</summary>
    private static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(30);

    /// <summary>Dead letters this worker has reconciled: a pass skips them without reading the ledger. Bounded.</summary>
    private readonly HashSet<string> _settled = new(StringComparer.Ordinal);

    /// <summary>Where among the held groups that did not end a full page the next pass starts looking behind: each gets its turn.</summary>
    private int _nextGroupTurn;

    /// <summary>Runs one pass.</summary>
    /// <param name="cancellationToken">Stops the pass; what it holds is still released.</param>
    /// <returns>How many tasks it recorded as dead-lettered.</returns>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        if (await deadLetterQueue.GetUrlAsync(cancellationToken).ConfigureAwait(false) is not { } url || await VisibleCountAsync(url, cancellationToken).ConfigureAwait(false) == 0)
        {
            return 0;
        }

        // Every page stays held until the pass ends, so that the next receive brings other dead letters, not these again.
        var held = new List<ReceivedMessage>();
        // The group that ends a full page may have been cut short by the page's size: looked behind first.
        var cutShort = new List<string?>();
        var recorded = 0;
        try
        {
            while (held.Count < MaxPerPass)
            {
                var page = await ReceivePageAsync(url, cancellationToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    break;
                }

                held.AddRange(page);
                if (page.Count == SqsLimits.MaxBatchEntries)
                {
                    cutShort.Add(page[^1].MessageGroupId);
                }

                recorded += await ReconcilePageAsync(page, cancellationToken).ConfigureAwait(false);
            }

            if (held.Count is > 0 and < MaxPerPass)
            {
                recorded += await ReachBehindHeldAsync(url, held, cutShort, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The pages ran dry with dead letters still visible: they sit behind held messages of their groups. Held groups are
    /// released and received again one at a time (the other groups stay held, so the receive brings this one), those that
    /// ended a full page first and then the others from where the last pass stopped, until as many new dead letters as were
    /// visible have come or <see cref="MaxGroupsLookedBehind"/> groups were looked at.
    /// </summary>
    private async Task<int> ReachBehindHeldAsync(string url, List<ReceivedMessage> held, List<string?> cutShort, CancellationToken cancellationToken)
    {
        var behind = await VisibleCountAsync(url, cancellationToken).ConfigureAwait(false);
        var first = cutShort.Distinct(StringComparer.Ordinal).ToList();
        // Except yields each group once.
        var others = held.Select(m => m.MessageGroupId).Except(first, StringComparer.Ordinal).ToList();
        var start = others.Count == 0 ? 0 : _nextGroupTurn % others.Count;
        var turns = first.Concat(others.Skip(start)).Concat(others.Take(start)).Take(MaxGroupsLookedBehind).ToList();
        _nextGroupTurn = start + Math.Max(0, turns.Count - first.Count);
        var recorded = 0;
        foreach (var group in turns)
        {
            if (behind <= 0)
            {
                break;
            }

            var ofGroup = held.Where(m => m.MessageGroupId == group).ToList();
            held.RemoveAll(m => m.MessageGroupId == group);
            await VisibilityReleaser.ReleaseAsync(sqs, url, ofGroup, logger).ConfigureAwait(false);
            var page = await ReceivePageAsync(url, cancellationToken).ConfigureAwait(false);
            held.AddRange(page);
            behind -= page.Count(m => !ofGroup.Exists(h => h.MessageId == m.MessageId));
            recorded += await ReconcilePageAsync(page, cancellationToken).ConfigureAwait(false);
        }

        return recorded;
    }

    private Task<IReadOnlyList<ReceivedMessage>> ReceivePageAsync(string url, CancellationToken cancellationToken) =>
        sqs.ReceiveMessagesAsync(url, new ReceiveOptions(SqsLimits.MaxBatchEntries, TimeSpan.Zero, HoldFor), cancellationToken);

    private async Task<int> ReconcilePageAsync(IReadOnlyList<ReceivedMessage> page, CancellationToken cancellationToken)
    {
        var recorded = 0;
        foreach (var message in page)
        {
            recorded += await ReconcileAsync(message, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        return recorded;
    }

    /// <summary>Visible dead letters (those behind a held one of their group included); an unreadable count is taken as some.</summary>
    private async Task<int> VisibleCountAsync(string url, CancellationToken cancellationToken)
    {
        var attributes = await sqs.GetQueueAttributesAsync(url, [QueueAttributeNames.ApproximateNumberOfMessages], cancellationToken).ConfigureAwait(false);
        return attributes.TryGetValue(QueueAttributeNames.ApproximateNumberOfMessages, out var text)
            && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count)
                ? count
                : int.MaxValue;
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
            // Skipped from now on only once its batch is complete (and announced) or unknown: until then the batch's last
            // task may end with the announcement's claim resting on this dead letter (a check that claimed through it and
            // died), and only a look at this message again can announce it.
            if (batch is null || batch.IsComplete)
            {
                _settled.Add(message.MessageId);
            }

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
