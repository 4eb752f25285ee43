namespace TaskQueue;

/// <summary>Where the <see cref="DynamoDbEntityLedger"/> keeps its batches.</summary>
public sealed class DynamoDbEntityLedgerOptions
{
    /// <summary>
    /// The ledger's table: one item per batch, partition key <c>entity_id</c> and sort key <c>batch_id</c> (both
    /// strings), made by <see cref="DynamoDbEntityLedger.EnsureTableAsync"/>. Required: 3 to 255 letters, digits,
    /// <c>_</c>, <c>-</c> or <c>.</c>, as DynamoDB allows.
    /// </summary>
    public string TableName { get; set; } = string.Empty;

    /// <summary>Throws when the options cannot work, saying what to set.</summary>
    /// <exception cref="ArgumentException">The table name is missing or not one DynamoDB allows.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(TableName))
        {
            throw new ArgumentException("DynamoDbEntityLedgerOptions.TableName is required: set it to the entity ledger's DynamoDB table name.", nameof(TableName));
        }

        if (!IsTableName(TableName))
        {
            throw new ArgumentException(
                $"DynamoDbEntityLedgerOptions.TableName '{TableName}' is not a DynamoDB table name: use 3 to 255 letters, digits, '_', '-' or '.'.", nameof(TableName));
        }
    }

    /// <summary>Whether DynamoDB takes <paramref name="table"/> as a table name: 3 to 255 letters, digits, '_', '-' or '.'.</summary>
    internal static bool IsTableName(string table) =>
        table.Length is >= 3 and <= 255 && table.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
