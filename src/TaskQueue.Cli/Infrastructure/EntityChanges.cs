namespace TaskQueue.Cli.Infrastructure;

/// <summary>What changed between two reads of an entity's status, one line per change: what <c>entity show --watch</c> prints.</summary>
internal static class EntityChanges
{
    public static IEnumerable<string> Between(EntityStatus previous, EntityStatus current)
    {
        var before = previous.Batches.ToDictionary(b => b.BatchId, StringComparer.Ordinal);
        foreach (var batch in current.Batches)
        {
            if (!before.TryGetValue(batch.BatchId, out var old))
            {
                yield return $"batch {batch.BatchId}  enqueued, {batch.TotalTasks} task{(batch.TotalTasks == 1 ? "" : "s")}";
                old = batch with { Tasks = [], AnnouncedRevision = 0 };
            }

            var oldTasks = old.Tasks.ToDictionary(t => t.TaskName, StringComparer.Ordinal);
            foreach (var task in batch.Tasks)
            {
                var changed = !oldTasks.TryGetValue(task.TaskName, out var was)
                    || was.State != task.State || was.Attempts != task.Attempts || was.LastError != task.LastError;
                if (changed && Describe(task) is { } what)
                {
                    yield return $"{current.EntityId}/{task.TaskName}  {what}";
                }
            }

            if (batch.IsComplete && (!old.IsComplete || old.Revision != batch.Revision))
            {
                yield return $"batch {batch.BatchId}  {EntityStatusView.Completion(batch)}: {batch.FinishedTasks}/{batch.TotalTasks} finished";
            }

            if (batch.AnnouncedRevision > old.AnnouncedRevision)
            {
                yield return $"batch {batch.BatchId}  {EntityStatusView.Announcement(batch)}";
            }
        }
    }

    /// <summary>A task's new state in words; null for a pending task nothing happened to yet.</summary>
    private static string? Describe(EntityTaskStatus task) => task switch
    {
        { State: EntityTaskState.Completed } => $"completed  attempt {task.Attempts}, {EntityStatusView.Duration(task.Duration)}",
        { State: EntityTaskState.DeadLettered } => $"dead-lettered  attempt {task.Attempts}: {Output.SingleLine(task.LastError, "-")}",
        { Attempts: > 0 } => $"failed attempt {task.Attempts}: {Output.SingleLine(task.LastError, "-")}",
        _ => null,
    };
}
