using TaskQueue.TestSupport;

namespace TaskQueue.LedgerTests.Backends;

/// <summary>A ledger table of its own for one test class on the local DynamoDB server, deleted after it.</summary>
public sealed class DynamoDbLedgerTable : IAsyncLifetime
{
    public string Name { get; } = LocalDynamoDbServer.UniqueTableName("ledger");

    public DynamoDbEntityLedger Ledger => new(LocalDynamoDbServer.Client, new DynamoDbEntityLedgerOptions { TableName = Name });

    public async Task InitializeAsync() => await DynamoDbEntityLedger.EnsureTableAsync(LocalDynamoDbServer.Client, Name);

    public async Task DisposeAsync() => await LocalDynamoDbServer.Client.DeleteTableAsync(Name);
}
