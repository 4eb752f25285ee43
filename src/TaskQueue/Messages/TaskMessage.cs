using System.Text.Json;

namespace TaskQueue;

/// <summary>A task as a worker reads it from a message body (its wire format is in the README).</summary>
/// <param name="EntityId">The parent entity, e.g. <c>doc-123</c>.</param>
/// <param name="TaskName">The task within the entity, e.g. <c>yearBuilt</c>.</param>
/// <param name="TaskConfig">The task's parameters: always a JSON object, empty when the producer sent none.</param>
/// <param name="Metadata">Metadata shared by the tasks of one enqueue: always a JSON object, empty when none.</param>
/// <param name="EnqueuedAt">When the task was enqueued, when the body says.</param>
/// <param name="TotalTasks">How many tasks the enqueue call had for the entity, when the body says.</param>
public sealed record TaskMessage(
    string EntityId,
    string TaskName,
    JsonElement TaskConfig,
    JsonElement Metadata,
    DateTimeOffset? EnqueuedAt,
    int? TotalTasks)
{
    /// <summary>
    /// The enqueue call the task came from (see <see cref="EnqueueResult.BatchId"/>), when the body says: the entity
    /// ledger records the task's fate under it. Null for bodies from producers that do not write it.
    /// </summary>
    public string? BatchId { get; init; }
}
