namespace TaskQueue;

/// <summary>
/// One enqueue batch of an entity, as the ledger knows it: each task's state, and whether its completion was announced.
/// This is also the summary an <see cref="IEntityCompletionHandler"/> gets when the batch completes.
/// </summary>
/// <param name="EntityId">The entity.</param>
/// <param name="BatchId">The enqueue call (see <see cref="EnqueueResult.BatchId"/>).</param>
/// <param name="TotalTasks">How many tasks the batch has.</param>
/// <param name="EnqueuedAt">When the batch was enqueued, when known.</param>
/// <param name="Tasks">
/// Its tasks by name: every task once the producer recorded the batch, else those whose fate a worker recorded (the
/// others are counted by <paramref name="TotalTasks"/> only).
/// </param>
/// <param name="Revision">
/// 1, plus one for each reopening: a dead-lettered task that completes after a redrive reopens its batch, which then
/// completes, and is announced, again under the next revision.
/// </param>
/// <param name="AnnouncedRevision">The last revision whose completion was announced; 0 when none was.</param>
public sealed record EntityBatchStatus(
    string EntityId,
    string BatchId,
    int TotalTasks,
    DateTimeOffset? EnqueuedAt,
    IReadOnlyList<EntityTaskStatus> Tasks,
    int Revision,
    int AnnouncedRevision)
{
    /// <summary>How many tasks have finished, completed or dead-lettered.</summary>
    public int FinishedTasks => Tasks.Count(t => t.State != EntityTaskState.Pending);

    /// <summary>True when every task of the batch has finished, completed or dead-lettered.</summary>
    public bool IsComplete => FinishedTasks >= TotalTasks;

    /// <summary>True when the batch is complete and every task completed.</summary>
    public bool AllSucceeded => IsComplete && Tasks.Where(t => t.State != EntityTaskState.Pending).All(t => t.State == EntityTaskState.Completed);

    /// <summary>When the last task finished, once the batch is complete; else null.</summary>
    public DateTimeOffset? CompletedAt => IsComplete ? Tasks.Max(t => t.FinishedAt) : null;
}
