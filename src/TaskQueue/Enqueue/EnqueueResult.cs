namespace TaskQueue;

/// <summary>The outcome of an enqueue call, task by task, in the order the tasks were given.</summary>
/// <param name="EntityId">The entity the tasks belong to.</param>
/// <param name="Tasks">One outcome per task.</param>
public sealed record EnqueueResult(string EntityId, IReadOnlyList<TaskEnqueueOutcome> Tasks)
{
    /// <summary>
    /// The id of this enqueue call's batch, written into every message (body field <c>batch_id</c>): the entity ledger
    /// records each task's fate under it and announces the batch's completion with it. New for each call; with an
    /// idempotency key it is derived from the key and the entity, so a repeated call names the same batch; in
    /// <see cref="DeduplicationMode.Deterministic"/> mode it is derived from the entity and the task names.
    /// </summary>
    public string BatchId { get; init; } = string.Empty;

    /// <summary>True when every task was sent.</summary>
    public bool AllSucceeded => Tasks.All(t => t.Succeeded);

    /// <summary>The tasks SQS did not accept after every retry.</summary>
    public IEnumerable<TaskEnqueueOutcome> Failed => Tasks.Where(t => !t.Succeeded);
}
