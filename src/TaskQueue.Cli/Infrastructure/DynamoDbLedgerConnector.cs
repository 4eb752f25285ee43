namespace TaskQueue.Cli.Infrastructure;

// Stand-in until the DynamoDB ledger is on this branch.
internal sealed class DynamoDbLedgerConnector : ILedgerConnector
{
    public Task<IEntityLedger> OpenAsync(LedgerAddress address, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> CreateAsync(LedgerAddress address, CancellationToken cancellationToken) => throw new NotSupportedException();
}
