using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace TaskQueue;

/// <summary>
/// The entity ledger in a DynamoDB table: one item per enqueue batch, every write one idempotent UpdateItem, the
/// completion claimed with a conditional write so that exactly one worker announces it. Make the table once with
/// <see cref="EnsureTableAsync"/> (on demand, so it costs per request and nothing while idle). Thread-safe; share one
/// instance. Errors no retry can fix (a missing table, denied access, invalid credentials) are thrown as a
/// <see cref="Sqs.TaskQueueException"/> naming the table and what to do.
/// </summary>
public sealed class DynamoDbEntityLedger : IEntityLedger
{
    private readonly IAmazonDynamoDB _dynamoDb;
    private readonly LedgerWrites _writes;

    /// <summary>Creates the ledger over a client the caller owns (and disposes).</summary>
    /// <param name="dynamoDb">The DynamoDB client.</param>
    /// <param name="options">The table.</param>
    /// <exception cref="ArgumentException">The table name is missing or not one DynamoDB allows.</exception>
    public DynamoDbEntityLedger(IAmazonDynamoDB dynamoDb, DynamoDbEntityLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(dynamoDb);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _dynamoDb = dynamoDb;
        TableName = options.TableName;
        _writes = new LedgerWrites(TableName);
    }

    /// <summary>The ledger's table.</summary>
    public string TableName { get; }

    /// <summary>
    /// Creates the ledger's table where it is missing, on demand (PAY_PER_REQUEST) with partition key <c>entity_id</c>
    /// and sort key <c>batch_id</c>, and waits until it is active. Idempotent: an existing table with those keys is used
    /// as it is. Needs dynamodb:DescribeTable and dynamodb:CreateTable.
    /// </summary>
    /// <param name="dynamoDb">The DynamoDB client.</param>
    /// <param name="tableName">The table.</param>
    /// <param name="cancellationToken">Cancels the requests and the wait.</param>
    /// <returns>True when this call created the table; false when it existed.</returns>
    /// <exception cref="ArgumentException">The table name is not one DynamoDB allows.</exception>
    /// <exception cref="Sqs.TaskQueueException">A table of that name has other keys, or access was refused.</exception>
    public static Task<bool> EnsureTableAsync(IAmazonDynamoDB dynamoDb, string tableName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dynamoDb);
        new DynamoDbEntityLedgerOptions { TableName = tableName }.Validate();
        return new LedgerTable(dynamoDb, tableName, TimeProvider.System).EnsureAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task OpenBatchAsync(string entityId, string batchId, IReadOnlyList<string> taskNames, DateTimeOffset enqueuedAt, CancellationToken cancellationToken)
    {
        ThrowIfBadKey(entityId, batchId);
        ArgumentNullException.ThrowIfNull(taskNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskNames.Count, 1, nameof(taskNames));
        foreach (var chunk in taskNames.Distinct(StringComparer.Ordinal).Chunk(LedgerWrites.TasksPerOpenWrite))
        {
            await UpdateAsync(_writes.Open(entityId, batchId, chunk, taskNames.Count, enqueuedAt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<EntityBatchStatus> RecordAsync(TaskFate fate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fate);
        ThrowIfBadKey(fate.EntityId, fate.BatchId);
        ArgumentException.ThrowIfNullOrEmpty(fate.TaskName, nameof(fate));
        ArgumentOutOfRangeException.ThrowIfLessThan(fate.TotalTasks, 1, nameof(fate));
        if (await TryUpdateAsync(_writes.RecordUnfinished(fate), cancellationToken).ConfigureAwait(false) is { } recorded)
        {
            return recorded;
        }

        // The task had finished: only a completion of a dead-lettered task changes it (and reopens the batch). Read first:
        // a write its condition refuses is billed as one that took, and the usual finished task here is a completed one
        // whose run was repeated (its worker died before the delete), which the reopen would only be refused for.
        var finished = await ReadAsync(fate.EntityId, fate.BatchId, cancellationToken).ConfigureAwait(false);
        if (fate.State != EntityTaskState.Completed || !IsDeadLettered(finished, fate.TaskName))
        {
            return finished;
        }

        return await TryUpdateAsync(_writes.Reopen(fate), cancellationToken).ConfigureAwait(false)
            ?? await ReadAsync(fate.EntityId, fate.BatchId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> TryClaimCompletionAsync(string entityId, string batchId, int revision, string claimant, CancellationToken cancellationToken)
    {
        ThrowIfBadKey(entityId, batchId);
        ArgumentException.ThrowIfNullOrEmpty(claimant);
        return await TryUpdateAsync(_writes.Claim(entityId, batchId, revision, claimant), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async Task MarkAnnouncedAsync(string entityId, string batchId, int revision, CancellationToken cancellationToken)
    {
        ThrowIfBadKey(entityId, batchId);
        // Not written where as high already: never lowers.
        await TryUpdateAsync(_writes.MarkAnnounced(entityId, batchId, revision), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EntityBatchStatus>> GetBatchesAsync(string entityId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        var batches = new List<EntityBatchStatus>();
        var request = new QueryRequest
        {
            TableName = TableName,
            KeyConditionExpression = "#entity = :entity",
            ExpressionAttributeNames = new() { ["#entity"] = LedgerItem.EntityId },
            ExpressionAttributeValues = new() { [":entity"] = new AttributeValue { S = entityId } },
            ConsistentRead = true,
        };
        do
        {
            var page = await LedgerErrors.CallAsync(TableName, "Query", () => _dynamoDb.QueryAsync(request, cancellationToken)).ConfigureAwait(false);
            batches.AddRange((page.Items ?? []).Select(LedgerItem.Read));
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);

        // A batch whose enqueue time no message told sorts last.
        return [.. batches.OrderBy(b => b.EnqueuedAt ?? DateTimeOffset.MaxValue).ThenBy(b => b.BatchId, StringComparer.Ordinal)];
    }

    private static bool IsDeadLettered(EntityBatchStatus batch, string taskName) =>
        batch.Tasks.Any(t => t.TaskName == taskName && t.State == EntityTaskState.DeadLettered);

    private static void ThrowIfBadKey(string entityId, string batchId)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        ArgumentException.ThrowIfNullOrEmpty(batchId);
    }

    private async Task<EntityBatchStatus> UpdateAsync(UpdateItemRequest request, CancellationToken cancellationToken)
    {
        var response = await LedgerErrors.CallAsync(TableName, "UpdateItem", () => _dynamoDb.UpdateItemAsync(request, cancellationToken)).ConfigureAwait(false);
        return LedgerItem.Read(response.Attributes);
    }

    /// <summary>The batch after a conditional write; null when its condition failed and nothing was written.</summary>
    private async Task<EntityBatchStatus?> TryUpdateAsync(UpdateItemRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await UpdateAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    private async Task<EntityBatchStatus> ReadAsync(string entityId, string batchId, CancellationToken cancellationToken)
    {
        var request = new GetItemRequest { TableName = TableName, Key = LedgerItem.Key(entityId, batchId), ConsistentRead = true };
        var response = await LedgerErrors.CallAsync(TableName, "GetItem", () => _dynamoDb.GetItemAsync(request, cancellationToken)).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item
            ? LedgerItem.Read(item)
            : throw new InvalidOperationException($"entity ledger table '{TableName}' has no batch '{batchId}' of entity '{entityId}', though a write found one: was the item deleted?");
    }
}
