namespace TaskQueue;

/// <summary>How one task of an enqueue batch finished, as a worker records it in the <see cref="IEntityLedger"/>.</summary>
/// <param name="EntityId">The task's entity.</param>
/// <param name="BatchId">The enqueue call the task came from (see <see cref="EnqueueResult.BatchId"/>).</param>
/// <param name="TaskName">The task's name, unique in its batch.</param>
/// <param name="TotalTasks">How many tasks the batch has: the batch is complete when that many have finished.</param>
/// <param name="State"><see cref="EntityTaskState.Completed"/> or <see cref="EntityTaskState.DeadLettered"/>.</param>
/// <param name="Attempts">Which attempt decided it (the message's receive count, or the worker's count under its lease).</param>
/// <param name="LastError">Why the last failed attempt failed, or why it was dead-lettered; null when it completed at its first attempt.</param>
/// <param name="EnqueuedAt">When the batch was enqueued, as the message says; null when it does not.</param>
/// <param name="FinishedAt">When the worker recorded the fate.</param>
/// <param name="Duration">How long the deciding run took.</param>
public sealed record TaskFate(
    string EntityId,
    string BatchId,
    string TaskName,
    int TotalTasks,
    EntityTaskState State,
    int Attempts,
    string? LastError,
    DateTimeOffset? EnqueuedAt,
    DateTimeOffset FinishedAt,
    TimeSpan Duration);
