namespace TaskQueue;

/// <summary>
/// Reads an entity's batches from the ledger and, when any of its tasks was dead-lettered, looks in the dead-letter
/// queue for them: a redriven task has left it, an unredriven one sits there.
/// </summary>
internal sealed class EntityStatusReader(IEntityLedger ledger, DeadLetterPeeker peeker)
{
    /// <summary>How many dead letters a status read looks at, at most: enough for a DLQ someone watches, bounded for one that grew.</summary>
    public const int DeadLettersScanned = 100;

    public async Task<EntityStatus> ReadAsync(string entityId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entityId);
        var batches = await ledger.GetBatchesAsync(entityId, cancellationToken).ConfigureAwait(false);
        if (!batches.Any(b => b.Tasks.Any(t => t.State == EntityTaskState.DeadLettered)))
        {
            return new EntityStatus(entityId, batches);
        }

        var deadLetters = await peeker.PeekAsync(DeadLettersScanned, cancellationToken).ConfigureAwait(false);
        var present = new HashSet<(string BatchId, string TaskName)>();
        foreach (var deadLetter in deadLetters)
        {
            if (deadLetter.EntityId == entityId && deadLetter is { BatchId: { } batchId, TaskName: { } taskName })
            {
                present.Add((batchId, taskName));
            }
        }

        // A scan that saw fewer than it asked for saw the whole DLQ: a task it did not find is not there.
        var sawAll = deadLetters.Count < DeadLettersScanned;
        return new EntityStatus(entityId, [.. batches.Select(batch => batch with
        {
            Tasks = [.. batch.Tasks.Select(task => task.State != EntityTaskState.DeadLettered
                ? task
                : task with { InDeadLetterQueue = present.Contains((batch.BatchId, task.TaskName)) ? true : sawAll ? false : null })],
        })]);
    }
}
