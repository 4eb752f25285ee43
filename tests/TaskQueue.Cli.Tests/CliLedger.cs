using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests;

/// <summary>An entity ledger table created through <c>taskqueue ledger create</c> for one test, deleted after it.</summary>
internal sealed class CliLedger : IAsyncDisposable
{
    private CliLedger(string table) => Table = table;

    public string Table { get; }

    public static async Task<CliLedger> CreateAsync()
    {
        var ledger = Named(LocalDynamoDbServer.UniqueTableName("cli-ledger"));
        var run = await CliRun.RunAsync("ledger", "create", ledger.Table);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"ledger create failed: {run}");
        }

        return ledger;
    }

    /// <summary>A table of a new name, not created: the test creates it (and this deletes it).</summary>
    public static CliLedger Named(string table) => new(table);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await LocalDynamoDbServer.Client.DeleteTableAsync(Table);
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
        {
            // Never created, or deleted already: nothing to clean up.
        }
    }
}
