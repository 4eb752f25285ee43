namespace TaskQueue.Testing;

/// <summary>
/// An entity ledger in process, for tests, samples and single-process tools: the same rules as the DynamoDB ledger (the
/// same contract tests pass on both), each batch kept under one lock, so a call is atomic as a conditional write is.
/// Thread-safe; lost when the process ends. Fault injection: <see cref="FailNext"/> makes the next calls throw.
/// </summary>
public sealed class InMemoryEntityLedger : IEntityLedger
{
    private readonly object _gate = new();
    private readonly Dictionary<(string EntityId, string BatchId), Batch> _batches = [];
    private readonly Dictionary<string, List<Batch>> _byEntity = new(StringComparer.Ordinal);
    private int _failuresToInject;
    private long _writes;

    /// <summary>How many writes (open, record, claim, mark) the ledger has taken, failed ones included: what a ledger bills.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Makes the next <paramref name="calls"/> calls throw an <see cref="InvalidOperationException"/> before changing anything, as an unreachable ledger would.</summary>
    /// <param name="calls">How many calls fail.</param>
    public void FailNext(int calls = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        lock (_gate)
        {
            _failuresToInject = calls;
        }
    }

    /// <inheritdoc />
    public Task OpenBatchAsync(string entityId, string batchId, IReadOnlyList<string> taskNames, DateTimeOffset enqueuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskNames);
        lock (_gate)
        {
            var batch = Write(entityId, batchId, taskNames.Count, cancellationToken);
            batch.EnqueuedAt ??= enqueuedAt;
            foreach (var name in taskNames)
            {
                batch.Tasks.TryAdd(name, new EntityTaskStatus(name, EntityTaskState.Pending));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<EntityBatchStatus> RecordAsync(TaskFate fate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fate);
        lock (_gate)
        {
            var batch = Write(fate.EntityId, fate.BatchId, fate.TotalTasks, cancellationToken);
            batch.EnqueuedAt ??= fate.EnqueuedAt;
            var recorded = batch.Tasks.GetValueOrDefault(fate.TaskName);
            var state = recorded?.State ?? EntityTaskState.Pending;
            var next = new EntityTaskStatus(fate.TaskName, fate.State, fate.Attempts, fate.LastError, fate.FinishedAt, fate.Duration);
            switch (fate.State)
            {
                case EntityTaskState.Pending when state == EntityTaskState.Pending:
                    batch.Tasks[fate.TaskName] = next with { FinishedAt = null, Duration = null };
                    break;
                case EntityTaskState.DeadLettered when state == EntityTaskState.Pending:
                    batch.Tasks[fate.TaskName] = next;
                    break;
                case EntityTaskState.Completed when state == EntityTaskState.Pending:
                    batch.Tasks[fate.TaskName] = next;
                    break;
                case EntityTaskState.Completed when state == EntityTaskState.DeadLettered:
                    batch.Tasks[fate.TaskName] = next;
                    batch.Revision++;
                    break;
            }

            return Task.FromResult(batch.Status());
        }
    }

    /// <inheritdoc />
    public Task<bool> TryClaimCompletionAsync(string entityId, string batchId, int revision, string claimant, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimant);
        lock (_gate)
        {
            var batch = Write(entityId, batchId, totalTasks: null, cancellationToken);
            if (batch.AnnouncedRevision >= revision || (batch.ClaimedRevision >= revision && batch.Claimant != claimant))
            {
                return Task.FromResult(false);
            }

            batch.ClaimedRevision = revision;
            batch.Claimant = claimant;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task MarkAnnouncedAsync(string entityId, string batchId, int revision, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var batch = Write(entityId, batchId, totalTasks: null, cancellationToken);
            batch.AnnouncedRevision = Math.Max(batch.AnnouncedRevision, revision);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EntityBatchStatus>> GetBatchesAsync(string entityId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfFailing();
            IReadOnlyList<EntityBatchStatus> batches = _byEntity.TryGetValue(entityId, out var list)
                ? [.. list.OrderBy(b => b.EnqueuedAt ?? DateTimeOffset.MaxValue).ThenBy(b => b.BatchId, StringComparer.Ordinal).Select(b => b.Status())]
                : [];
            return Task.FromResult(batches);
        }
    }

    /// <summary>Counts a write, injects a failure if one is due, and finds the batch, creating it when a total is known.</summary>
    private Batch Write(string entityId, string batchId, int? totalTasks, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _writes);
        ThrowIfFailing();
        if (_batches.TryGetValue((entityId, batchId), out var batch))
        {
            return batch;
        }

        if (totalTasks is not { } total)
        {
            throw new InvalidOperationException($"The ledger has no batch '{batchId}' of entity '{entityId}'.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1, nameof(totalTasks));
        batch = new Batch(entityId, batchId, total);
        _batches.Add((entityId, batchId), batch);
        if (!_byEntity.TryGetValue(entityId, out var list))
        {
            _byEntity[entityId] = list = [];
        }

        list.Add(batch);
        return batch;
    }

    private void ThrowIfFailing()
    {
        if (_failuresToInject > 0)
        {
            _failuresToInject--;
            throw new InvalidOperationException("The in-memory entity ledger failed this call, as asked (FailNext).");
        }
    }

    private sealed class Batch(string entityId, string batchId, int totalTasks)
    {
        public string EntityId { get; } = entityId;

        public string BatchId { get; } = batchId;

        public DateTimeOffset? EnqueuedAt { get; set; }

        public Dictionary<string, EntityTaskStatus> Tasks { get; } = new(StringComparer.Ordinal);

        public int Revision { get; set; } = 1;

        public int AnnouncedRevision { get; set; }

        public int ClaimedRevision { get; set; }

        public string? Claimant { get; set; }

        public EntityBatchStatus Status() => new(
            EntityId, BatchId, totalTasks, EnqueuedAt, [.. Tasks.Values.OrderBy(t => t.TaskName, StringComparer.Ordinal)], Revision, AnnouncedRevision);
    }
}
