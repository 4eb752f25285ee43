using System.CommandLine;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary><c>taskqueue ledger create TABLE</c>: the DynamoDB table of the entity ledger, unless it exists.</summary>
internal static class LedgerCreateCommand
{
    public static Command Create(CliContext context)
    {
        var table = new Argument<string>("table") { Description = "the table's name, e.g. documents-ledger" };
        var command = new Command("create", "create the DynamoDB table of an entity ledger (idempotent: an existing table is left as it is)") { table };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var name = parsed.GetValue(table)!;
            var created = await LedgerTables.CreateAsync(context.LedgerAt(parsed, name), cancellationToken).ConfigureAwait(false);
            if (context.WantsJson(parsed))
            {
                Output.WriteJson(context.Output, new { table = name, created });
            }
            else
            {
                await context.Output.WriteLineAsync($"{(created ? "created" : "exists ")}  ledger table {name}").ConfigureAwait(false);
            }

            return CliApp.Success;
        });
        return command;
    }
}
