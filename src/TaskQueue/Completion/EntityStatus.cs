namespace TaskQueue;

/// <summary>What the ledger knows of one entity: each of its enqueue batches, oldest first.</summary>
/// <param name="EntityId">The entity.</param>
/// <param name="Batches">Its batches, oldest first; empty when the ledger has none.</param>
public sealed record EntityStatus(string EntityId, IReadOnlyList<EntityBatchStatus> Batches);
