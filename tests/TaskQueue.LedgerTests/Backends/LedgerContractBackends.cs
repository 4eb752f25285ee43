using TaskQueue.LedgerTests.Contracts;
using TaskQueue.Testing;

namespace TaskQueue.LedgerTests.Backends;

// The contract runs on both ledgers: `dotnet test --filter FullyQualifiedName~InMemory` runs the half that needs no server.

public sealed class InMemoryEntityLedgerContractTests() : EntityLedgerContract(new InMemoryEntityLedger());

public sealed class DynamoDbEntityLedgerContractTests(DynamoDbLedgerTable table) : EntityLedgerContract(table.Ledger), IClassFixture<DynamoDbLedgerTable>;
