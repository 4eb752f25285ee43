namespace TaskQueue.Cli.Infrastructure;

/// <summary>Where the entity ledger lives: its DynamoDB table, and the endpoint and region that reach it.</summary>
/// <param name="Table">The table's name, as given with <c>--ledger-table</c>.</param>
/// <param name="Endpoint">The DynamoDB endpoint; null for what the SDK finds (<c>AWS_ENDPOINT_URL_DYNAMODB</c>, <c>AWS_ENDPOINT_URL</c>, else AWS).</param>
/// <param name="Region">The AWS region; null for the SDK's default.</param>
internal sealed record LedgerAddress(string Table, Uri? Endpoint, string? Region)
{
    /// <summary>The one line for a ledger table that is not there, naming the command that creates it.</summary>
    public CommandFailedException Missing() =>
        new($"ledger table '{Table}' does not exist: create it with `taskqueue ledger create {Table}` (or check --dynamodb-endpoint and --region)");
}
