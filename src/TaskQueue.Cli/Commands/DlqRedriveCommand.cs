using System.CommandLine;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary><c>taskqueue dlq redrive QUEUE [--entity E] [--task T] [--dry-run]</c>: dead letters back to the task queue.</summary>
internal static class DlqRedriveCommand
{
    public static Command Create(CliContext context)
    {
        var queue = CommandTree.QueueArgument();
        var entity = new Option<string?>("--entity") { Description = "move only the dead letters of this entity" };
        var task = new Option<string?>("--task") { Description = "move only the dead letters of this task name" };
        var dryRun = new Option<bool>("--dry-run") { Description = "list what would move, move nothing" };
        var max = CommandTree.AtLeast("--max", 1, 1000, "the most dead letters to look at");
        var command = new Command("redrive", "move dead letters back to the task queue (sent first, deleted from the DLQ after)")
        {
            queue, entity, task, dryRun, max,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var sqs = context.Connect(parsed);
            var queueUrl = await QueueResolver.ResolveAsync(sqs, parsed.GetValue(queue)!, cancellationToken).ConfigureAwait(false);
            var result = await CommandTree.HandlerFor(context, sqs, queueUrl).RedriveDeadLettersAsync(
                new RedriveOptions
                {
                    EntityId = parsed.GetValue(entity),
                    TaskName = parsed.GetValue(task),
                    DryRun = parsed.GetValue(dryRun),
                    MaxMessages = parsed.GetValue(max),
                },
                cancellationToken).ConfigureAwait(false);

            if (context.WantsJson(parsed))
            {
                Output.WriteJson(context.Output, new
                {
                    result.DryRun,
                    result.Moved,
                    result.Skipped,
                    Matched = result.Matched.Select(DeadLetterView.From),
                    Failed = result.Failed.Select(f => new { f.Message.MessageId, f.ErrorCode, f.ErrorMessage }),
                });
            }
            else
            {
                Write(context.Output, result, QueueResolver.NameOf(queueUrl));
            }

            return result.Failed.Count == 0 ? CliApp.Success : CliApp.Failure;
        });
        return command;
    }

    private static void Write(TextWriter output, RedriveResult result, string queueName)
    {
        if (result.Matched.Count > 0)
        {
            DeadLetterView.WriteTable(output, result.Matched);
        }

        foreach (var failure in result.Failed)
        {
            output.WriteLine($"FAILED  {failure.Message.MessageId}  {failure.ErrorCode}: {failure.ErrorMessage}");
        }

        output.WriteLine(result.DryRun
            ? $"dry run: {result.Matched.Count} dead letters would move to {queueName}, {result.Skipped} do not match; nothing moved"
            : $"moved {result.Moved} of {result.Matched.Count} matching dead letters to {queueName}; {result.Skipped} do not match and stay in the DLQ");
    }
}
