using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Records each tracked task's fate in the ledger and announces what that makes true, in the one order that counts
/// nothing that did not happen and misses nothing: the fate is recorded after the handler succeeded or the dead-letter
/// copy was sent, the completion is claimed, announced and marked announced, and only then is the task's message
/// deleted (by the caller). A worker dying anywhere before the delete leaves the message to come back: its fate is
/// recorded again (idempotent), and the claim, held by that message's id, passes to whoever holds the message, so the
/// completion is announced; twice only when the worker died between announcing and marking it announced.
/// A task is tracked when its body carries a batch id and a total; others cost no request.
/// When a try fails half way (a handler after another, or the mark after the announcement), the next try of the same
/// fate skips what this worker already delivered: a retry is no reason to announce twice.
/// </summary>
internal sealed class EntityCompletionTracker(EntityTracking tracking, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>More undelivered tries than this are forgotten: a bound on memory, paid with a rare duplicate.</summary>
    private const int MaxRemembered = 10_000;

    /// <summary>The calls this worker made to each handler for fates whose recording has not finished yet.</summary>
    private readonly ConcurrentDictionary<string, byte> _delivered = new(StringComparer.Ordinal);

    /// <summary>True when the task's body names its batch, so the ledger can record it.</summary>
    public static bool IsTracked(TaskMessage? task) => task is { BatchId: not null, TotalTasks: > 0 };

    /// <summary>
    /// Records that the task finished and announces a completed batch. Throws when the ledger or a completion handler
    /// failed: the caller must then keep the message, so that its fate is recorded and announced when it comes back.
    /// </summary>
    /// <param name="claimant">The id of the task's message, which SQS lets one worker hold at a time: it claims the announcement.</param>
    /// <param name="task">The parsed task; untracked tasks are ignored.</param>
    /// <param name="state">Completed or dead-lettered.</param>
    /// <param name="attempts">The deciding attempt.</param>
    /// <param name="reason">Why it was dead-lettered; null when it completed.</param>
    /// <param name="duration">How long the deciding run took.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public async Task RecordFinishedAsync(
        string claimant, TaskMessage? task, EntityTaskState state, int attempts, string? reason, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (!IsTracked(task))
        {
            return;
        }

        var fate = FateOf(task!, state, attempts, reason, duration);
        var batch = await tracking.Ledger.RecordAsync(fate, cancellationToken).ConfigureAwait(false);
        var deadLetterKey = $"dead-letter\u001f{fate.EntityId}\u001f{fate.BatchId}\u001f{fate.TaskName}";
        if (state == EntityTaskState.DeadLettered)
        {
            await DeliverOnceAsync(deadLetterKey, (handler, token) => handler.OnTaskDeadLetteredAsync(fate, token), cancellationToken).ConfigureAwait(false);
        }

        if (batch.IsComplete && batch.AnnouncedRevision < batch.Revision)
        {
            await AnnounceAsync(batch, claimant, cancellationToken).ConfigureAwait(false);
        }

        Forget(deadLetterKey);
    }

    /// <summary>Claims the completion for the message and, when this worker holds the claim, announces it and marks it announced.</summary>
    private async Task AnnounceAsync(EntityBatchStatus batch, string claimant, CancellationToken cancellationToken)
    {
        if (!await tracking.Ledger.TryClaimCompletionAsync(batch.EntityId, batch.BatchId, batch.Revision, claimant, cancellationToken).ConfigureAwait(false))
        {
            // Another task's message completed the batch and holds the claim: its holder announces.
            return;
        }

        var key = $"completed\u001f{batch.EntityId}\u001f{batch.BatchId}\u001f{batch.Revision}";
        await DeliverOnceAsync(key, (handler, token) => handler.OnEntityCompletedAsync(batch, token), cancellationToken).ConfigureAwait(false);
        await tracking.Ledger.MarkAnnouncedAsync(batch.EntityId, batch.BatchId, batch.Revision, cancellationToken).ConfigureAwait(false);
        Forget(key);
        var tags = new System.Diagnostics.TagList { { "taskqueue.entity.outcome", batch.AllSucceeded ? "completed" : "dead_lettered" } };
        TaskQueueInstruments.EntitiesCompleted.Add(1, tags);
        if (batch.EnqueuedAt is { } enqueuedAt && batch.CompletedAt is { } completedAt)
        {
            TaskQueueInstruments.EntityCompletionTime.Record(Math.Max(0, (completedAt - enqueuedAt).TotalSeconds), tags);
        }

        Log.EntityCompleted(logger, batch.EntityId, batch.BatchId, batch.Revision, batch.TotalTasks, batch.Tasks.Count(t => t.State == EntityTaskState.DeadLettered));
    }

    /// <summary>Calls each handler, skipping those this worker already called for the same event in an earlier, failed try.</summary>
    private async Task DeliverOnceAsync(
        string key, Func<IEntityCompletionHandler, CancellationToken, Task> deliver, CancellationToken cancellationToken)
    {
        for (var i = 0; i < tracking.Handlers.Count; i++)
        {
            var handlerKey = $"{key}\u001f{i}";
            if (_delivered.ContainsKey(handlerKey))
            {
                continue;
            }

            await deliver(tracking.Handlers[i], cancellationToken).ConfigureAwait(false);
            if (_delivered.Count >= MaxRemembered)
            {
                _delivered.Clear();
            }

            _delivered.TryAdd(handlerKey, 0);
        }
    }

    private void Forget(string key)
    {
        for (var i = 0; i < tracking.Handlers.Count; i++)
        {
            _delivered.TryRemove($"{key}\u001f{i}", out _);
        }
    }

    /// <summary>
    /// Records a failed attempt of a task that is not finished (its attempts and error, for status readers). Best
    /// effort: a ledger failure is logged, never fails the task, since nothing is decided by it.
    /// </summary>
    public async Task RecordFailedAttemptAsync(TaskMessage? task, int attempts, string error, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (!IsTracked(task))
        {
            return;
        }

        try
        {
            await tracking.Ledger.RecordAsync(FateOf(task!, EntityTaskState.Pending, attempts, error, duration), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any ledger failure here only loses an informational note.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.LedgerAttemptNotRecorded(logger, ex, task!.EntityId, task.TaskName);
        }
    }

    private TaskFate FateOf(TaskMessage task, EntityTaskState state, int attempts, string? reason, TimeSpan duration) =>
        new(task.EntityId, task.BatchId!, task.TaskName, task.TotalTasks!.Value, state, attempts, reason, task.EnqueuedAt, timeProvider.GetUtcNow(), duration);
}
