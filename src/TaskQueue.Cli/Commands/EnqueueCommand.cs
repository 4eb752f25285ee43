using System.CommandLine;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary><c>taskqueue enqueue QUEUE ENTITY TASK...</c>: one message per task, as a producer would send them.</summary>
internal static class EnqueueCommand
{
    private const string PossibleDuplicateNote =
        "note: sent with --idempotency-key: SQS does not deliver a repeat of a send made with the same key within 5 minutes; " +
        "a task marked 'may be a duplicate' may be such a repeat, and its message id is then the first send's";

    public static Command Create(CliContext context)
    {
        var queue = CommandTree.QueueArgument();
        var entity = new Argument<string>("entity") { Description = "the entity the tasks belong to, e.g. doc-123" };
        var tasks = new Argument<string[]>("task") { Description = "one or more task names", Arity = ArgumentArity.OneOrMore };
        var config = new Option<string?>("--config") { Description = "task config for every task, a JSON object, e.g. '{\"seconds\": 2}'" };
        var configFile = new Option<FileInfo?>("--config-file") { Description = "read the task config from this JSON file instead (for configs too long for a command line)" };
        var metadata = new Option<string?>("--metadata") { Description = "metadata shared by the tasks, a JSON object, e.g. '{\"tenant\": \"acme\"}'" };
        var idempotencyKey = new Option<string?>("--idempotency-key")
        {
            Description = "names this unit of work (an upload id, say): a repeat with the same key within 5 minutes is not delivered again. Without it every run is new work",
        };
        var ledgerTable = CommandTree.LedgerTableOption("record the batch and its task names in this entity ledger (a DynamoDB table), so `entity show` lists tasks no worker took yet");
        var command = new Command("enqueue", "enqueue the tasks of one entity, as one batch") { queue, entity, tasks, config, configFile, metadata, idempotencyKey, ledgerTable };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var taskConfig = parsed.GetValue(configFile) is { } file
                ? JsonArgument.ParseObject(parsed.GetValue(config) is null ? JsonArgument.ReadFile(file, "--config-file") : throw new UsageException("give --config or --config-file, not both"), "--config-file")
                : JsonArgument.ParseObject(parsed.GetValue(config), "--config");
            var sharedMetadata = JsonArgument.ParseObject(parsed.GetValue(metadata), "--metadata");
            var ledger = await context.OpenLedgerAsync(parsed, parsed.GetValue(ledgerTable), cancellationToken).ConfigureAwait(false);
            var sqs = context.Connect(parsed);
            var queueUrl = await QueueResolver.ResolveAsync(sqs, parsed.GetValue(queue)!, cancellationToken).ConfigureAwait(false);
            var result = await CommandTree.HandlerFor(context, sqs, queueUrl, ledger).EnqueueTasksAsync(
                parsed.GetValue(entity)!,
                parsed.GetValue(tasks)!.Select(name => taskConfig is { } given ? new TaskSpec(name, given) : new TaskSpec(name)),
                sharedMetadata,
                parsed.GetValue(idempotencyKey),
                cancellationToken).ConfigureAwait(false);

            if (context.WantsJson(parsed))
            {
                Output.WriteJson(context.Output, result);
            }
            else
            {
                await WriteTextAsync(context.Output, result).ConfigureAwait(false);
            }

            return result.AllSucceeded ? CliApp.Success : CliApp.Failure;
        });
        return command;
    }

    private static async Task WriteTextAsync(TextWriter output, EnqueueResult result)
    {
        foreach (var task in result.Tasks)
        {
            await output.WriteLineAsync(task switch
            {
                { Succeeded: false } => $"FAILED  {result.EntityId}/{task.TaskName}  {task.ErrorCode}: {task.ErrorMessage}",
                { MayHaveBeenDeduplicated: true } => $"sent    {result.EntityId}/{task.TaskName}  message {task.MessageId}  (may be a duplicate)",
                _ => $"sent    {result.EntityId}/{task.TaskName}  message {task.MessageId}",
            }).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"batch   {result.EntityId}  {result.BatchId}").ConfigureAwait(false);
        if (result.Tasks.Any(t => t.Succeeded && t.MayHaveBeenDeduplicated))
        {
            await output.WriteLineAsync(PossibleDuplicateNote).ConfigureAwait(false);
        }
    }
}
