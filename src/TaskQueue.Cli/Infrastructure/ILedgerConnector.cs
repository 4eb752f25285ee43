namespace TaskQueue.Cli.Infrastructure;

/// <summary>Opens and creates the entity ledger a command names: the DynamoDB ledger (tests put an in-process one in its place).</summary>
internal interface ILedgerConnector
{
    /// <summary>
    /// Opens the ledger after checking that its table exists: a worker must not start on a missing table, whose every
    /// task would fail to be recorded and come back. Throws <see cref="LedgerAddress.Missing"/> when it does not exist.
    /// </summary>
    Task<IEntityLedger> OpenAsync(LedgerAddress address, CancellationToken cancellationToken);

    /// <summary>Creates the ledger's table unless it exists (idempotent); true when this call created it.</summary>
    Task<bool> CreateAsync(LedgerAddress address, CancellationToken cancellationToken);
}
