using System.Collections.Concurrent;
using TaskQueue.Cli.Infrastructure;
using TaskQueue.Testing;

namespace TaskQueue.Cli.Tests;

/// <summary>Ledger tables in process, one in-memory ledger each, shared by every CLI run of the test run.</summary>
internal sealed class InMemoryLedgerConnector : ILedgerConnector
{
    private readonly ConcurrentDictionary<string, InMemoryEntityLedger> _tables = new(StringComparer.Ordinal);

    public Task<IEntityLedger> OpenAsync(LedgerAddress address, CancellationToken cancellationToken) =>
        _tables.TryGetValue(address.Table, out var ledger) ? Task.FromResult<IEntityLedger>(ledger) : throw address.Missing();

    public Task<bool> CreateAsync(LedgerAddress address, CancellationToken cancellationToken) =>
        Task.FromResult(_tables.TryAdd(address.Table, new InMemoryEntityLedger()));
}
