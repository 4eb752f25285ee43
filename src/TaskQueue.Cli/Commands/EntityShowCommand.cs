using System.CommandLine;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary>
/// <c>taskqueue entity show ENTITY --ledger-table T [--queue Q] [--watch]</c>: each enqueue batch of an entity and each
/// of its tasks as the ledger recorded them; watched, the changes until the newest batch completes.
/// </summary>
internal static class EntityShowCommand
{
    public static Command Create(CliContext context)
    {
        var entity = new Argument<string>("entity") { Description = "the entity, e.g. doc-123" };
        var ledgerTable = CommandTree.LedgerTableOption("the DynamoDB table of the entity ledger the workers record in", required: true);
        var queue = new Option<string?>("--queue")
        {
            Description = "the task queue (URL or name): with it, dead-lettered tasks are looked for in its DLQ",
        };
        var watch = new Watch("print what changes until the newest batch is complete (or Ctrl-C)");
        var command = new Command("show", "show each enqueue batch of an entity: tasks finished, completion, announcement, and each task's state, attempts, last error, duration, DLQ")
        {
            entity, ledgerTable, queue,
        };
        watch.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var entityId = parsed.GetValue(entity)!;
            var table = parsed.GetValue(ledgerTable)!;
            var read = await ReaderAsync(context, parsed, table, parsed.GetValue(queue), cancellationToken).ConfigureAwait(false);
            var status = await read(entityId, cancellationToken).ConfigureAwait(false);
            if (status.Batches.Count == 0)
            {
                throw new CommandFailedException(
                    $"no batches recorded for entity '{entityId}' in ledger table '{table}': tasks are recorded by `taskqueue work --ledger-table {table}` (and by enqueue with it)");
            }

            var json = context.WantsJson(parsed);
            Print(context.Output, status, table, json, watching: watch.IsOn(parsed));
            if (!watch.IsOn(parsed) || status.Batches[^1].IsComplete)
            {
                return CliApp.Success;
            }

            // A watch stopped before the batch completed exits as cancelled: a script waiting on it must not go on as if it had.
            var completed = await watch.RunAsync(parsed, Refresher(context.Output, read, status, table, json), cancellationToken).ConfigureAwait(false);
            return completed ? CliApp.Success : CliApp.Cancelled;
        });
        return command;
    }

    /// <summary>
    /// Reads through the handler, which looks for dead-lettered tasks in the DLQ, when a queue is given; else the ledger
    /// alone, leaving whether a dead-lettered task sits in the DLQ unknown.
    /// </summary>
    private static async Task<Func<string, CancellationToken, Task<EntityStatus>>> ReaderAsync(
        CliContext context, ParseResult parsed, string table, string? queue, CancellationToken cancellationToken)
    {
        var ledger = (await context.OpenLedgerAsync(parsed, table, cancellationToken).ConfigureAwait(false))!;
        if (queue is null)
        {
            return async (entityId, token) => new EntityStatus(entityId, await ledger.GetBatchesAsync(entityId, token).ConfigureAwait(false));
        }

        var sqs = context.Connect(parsed);
        var handler = CommandTree.HandlerFor(context, sqs, await QueueResolver.ResolveAsync(sqs, queue, cancellationToken).ConfigureAwait(false), ledger);
        return handler.GetEntityStatusAsync;
    }

    /// <summary>One refresh of a watch: prints what changed; the last once the newest batch is complete.</summary>
    private static Func<CancellationToken, Task<bool>> Refresher(
        TextWriter output, Func<string, CancellationToken, Task<EntityStatus>> read, EntityStatus first, string table, bool json)
    {
        var previous = first;
        return async cancellationToken =>
        {
            var status = await read(first.EntityId, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                // The whole document again, on one line, whenever it changed: a script reads the watch line by line.
                var document = Output.JsonLine(EntityStatusView.From(status, table));
                if (document != Output.JsonLine(EntityStatusView.From(previous, table)))
                {
                    await output.WriteLineAsync(document).ConfigureAwait(false);
                }
            }
            else
            {
                var at = TimeProvider.System.GetLocalNow().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
                foreach (var change in EntityChanges.Between(previous, status))
                {
                    await output.WriteLineAsync($"{at}  {change}").ConfigureAwait(false);
                }
            }

            previous = status;
            return status.Batches.Count > 0 && status.Batches[^1].IsComplete;
        };
    }

    /// <summary>The status as tables, or as JSON: one document, or, when watched, the first of one per line.</summary>
    private static void Print(TextWriter output, EntityStatus status, string table, bool json, bool watching)
    {
        if (!json)
        {
            EntityStatusView.WriteTables(output, status);
        }
        else if (watching)
        {
            Output.WriteJsonLine(output, EntityStatusView.From(status, table));
        }
        else
        {
            Output.WriteJson(output, EntityStatusView.From(status, table));
        }
    }
}
