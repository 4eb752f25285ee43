namespace TaskQueue;

/// <summary>
/// Records, per enqueue batch, the fate of each task, so that exactly one worker learns that the batch has completed.
/// Every write is idempotent (a task may run twice: recording it twice counts it once), and the announcement of a
/// completion is claimed with a conditional write. Implementations: the DynamoDB ledger (package TaskQueue.DynamoDB)
/// and the in-memory one (package TaskQueue.Testing); both pass the same contract tests.
/// </summary>
public interface IEntityLedger
{
    /// <summary>
    /// Records a batch as the producer enqueued it, with its task names, so its pending tasks can be listed by name.
    /// Idempotent, and harmless after workers have recorded fates: nothing recorded is reset.
    /// </summary>
    /// <param name="entityId">The entity.</param>
    /// <param name="batchId">The batch.</param>
    /// <param name="taskNames">Every task name of the batch; their number is the batch's total.</param>
    /// <param name="enqueuedAt">When the batch was enqueued.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the batch is recorded.</returns>
    Task OpenBatchAsync(string entityId, string batchId, IReadOnlyList<string> taskNames, DateTimeOffset enqueuedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Records a task's fate, creating the batch when the producer did not. Rules: a completed task stays completed; a
    /// dead-lettered task that completes reopens its batch (<see cref="EntityBatchStatus.Revision"/> goes up by one);
    /// recording the same fate again changes nothing.
    /// </summary>
    /// <param name="fate">The fate.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The batch as it stands after the write.</returns>
    Task<EntityBatchStatus> RecordAsync(TaskFate fate, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the announcement of a batch's completion at <paramref name="revision"/>. It succeeds when that revision is
    /// not announced yet and either nobody claimed it or <paramref name="claimant"/> did: the claimant is the id of the
    /// message whose fate completed the batch, which SQS lets one worker hold at a time, so a worker that dies after
    /// claiming hands the claim on with the message.
    /// </summary>
    /// <param name="entityId">The entity.</param>
    /// <param name="batchId">The batch.</param>
    /// <param name="revision">The batch revision whose completion is to be announced.</param>
    /// <param name="claimant">Who claims: the SQS message id of the task that completed the batch.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when the caller is to announce the completion.</returns>
    Task<bool> TryClaimCompletionAsync(string entityId, string batchId, int revision, string claimant, CancellationToken cancellationToken);

    /// <summary>Records that the completion at <paramref name="revision"/> was announced; idempotent, never lowers what is recorded.</summary>
    /// <param name="entityId">The entity.</param>
    /// <param name="batchId">The batch.</param>
    /// <param name="revision">The announced revision.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when it is recorded.</returns>
    Task MarkAnnouncedAsync(string entityId, string batchId, int revision, CancellationToken cancellationToken);

    /// <summary>Reads every batch of an entity, oldest first.</summary>
    /// <param name="entityId">The entity.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The batches; empty when the ledger has none.</returns>
    Task<IReadOnlyList<EntityBatchStatus>> GetBatchesAsync(string entityId, CancellationToken cancellationToken);
}
