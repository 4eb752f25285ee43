using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Creates the ledger's table where it is missing: on-demand (PAY_PER_REQUEST), partition key <c>entity_id</c> and
/// sort key <c>batch_id</c>, both strings. A table of that name with other keys is an error that says so.
/// </summary>
internal sealed class LedgerTable(IAmazonDynamoDB dynamoDb, string tableName, TimeProvider timeProvider)
{
    /// <summary>How often a table being created is looked at again; AWS takes seconds, a local server none.</summary>
    public static readonly TimeSpan ActivePollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Creates the table if missing and waits until it is active.</summary>
    /// <returns>True when this call created it.</returns>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        var created = false;
        var table = await DescribeAsync(cancellationToken).ConfigureAwait(false);
        if (table is null)
        {
            try
            {
                await LedgerErrors.CallAsync(tableName, "CreateTable", () => dynamoDb.CreateTableAsync(Definition(), cancellationToken)).ConfigureAwait(false);
                created = true;
            }
            catch (ResourceInUseException)
            {
                // Created meanwhile by another process: its keys are checked below as any existing table's.
            }

            table = await DescribeAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new TaskQueueException($"entity ledger table '{tableName}' was created but cannot be found: check the region and endpoint.");
        }

        CheckKeys(table);
        while (table.TableStatus != TableStatus.ACTIVE)
        {
            if (table.TableStatus == TableStatus.DELETING)
            {
                throw new TaskQueueException($"entity ledger table '{tableName}' is being deleted: wait until it is gone, then create it again.");
            }

            await Task.Delay(ActivePollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            table = await DescribeAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new TaskQueueException($"entity ledger table '{tableName}' disappeared while it was being created: create it again.");
        }

        return created;
    }

    private async Task<TableDescription?> DescribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken).ConfigureAwait(false);
            return response.Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
        catch (Exception error) when (LedgerErrors.Translate(error, tableName, "DescribeTable") is { } translated)
        {
            throw translated;
        }
    }

    private CreateTableRequest Definition() => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        KeySchema =
        [
            new KeySchemaElement(LedgerItem.EntityId, KeyType.HASH),
            new KeySchemaElement(LedgerItem.BatchId, KeyType.RANGE),
        ],
        AttributeDefinitions =
        [
            new AttributeDefinition(LedgerItem.EntityId, ScalarAttributeType.S),
            new AttributeDefinition(LedgerItem.BatchId, ScalarAttributeType.S),
        ],
    };

    private void CheckKeys(TableDescription table)
    {
        var keys = (table.KeySchema ?? []).Select(key => (
            key.AttributeName,
            key.KeyType.Value,
            Type: (table.AttributeDefinitions ?? []).FirstOrDefault(d => d.AttributeName == key.AttributeName)?.AttributeType?.Value)).ToList();
        (string, string, string?)[] wanted = [(LedgerItem.EntityId, KeyType.HASH.Value, "S"), (LedgerItem.BatchId, KeyType.RANGE.Value, "S")];
        if (!keys.SequenceEqual(wanted))
        {
            var found = string.Join(", ", keys.Select(k => $"{k.AttributeName} ({k.Value} {k.Type})"));
            throw new TaskQueueException(
                $"table '{tableName}' exists with keys {found}, not the entity ledger's: partition key {LedgerItem.EntityId} (S) and sort key {LedgerItem.BatchId} (S): use another table name for the ledger.");
        }
    }
}
