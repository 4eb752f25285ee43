namespace TaskQueue.Cli.Tests;

/// <summary>An entity ledger table created through <c>taskqueue ledger create</c> for one test.</summary>
internal sealed class CliLedger
{
    private CliLedger(string table) => Table = table;

    public string Table { get; }

    public static async Task<CliLedger> CreateAsync()
    {
        var ledger = new CliLedger("cli-ledger-" + Guid.NewGuid().ToString("N")[..10]);
        var run = await CliRun.RunAsync("ledger", "create", ledger.Table);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"ledger create failed: {run}");
        }

        return ledger;
    }
}
