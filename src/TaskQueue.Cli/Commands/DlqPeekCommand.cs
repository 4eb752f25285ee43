using System.CommandLine;
using System.Globalization;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary><c>taskqueue dlq peek QUEUE [--max N]</c>: the dead letters, left where they are.</summary>
internal static class DlqPeekCommand
{
    public static Command Create(CliContext context)
    {
        var queue = CommandTree.QueueArgument();
        var max = CommandTree.AtLeast("--max", 1, 10, "how many dead letters to look at");
        var command = new Command("peek", "look at dead letters without removing them (each look counts as a receive)") { queue, max };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var sqs = context.Connect(parsed);
            var queueUrl = await QueueResolver.ResolveAsync(sqs, parsed.GetValue(queue)!, cancellationToken).ConfigureAwait(false);
            var letters = await CommandTree.HandlerFor(context, sqs, queueUrl).GetDlqMessagesAsync(parsed.GetValue(max), cancellationToken).ConfigureAwait(false);
            if (context.WantsJson(parsed))
            {
                Output.WriteJson(context.Output, letters.Select(DeadLetterView.From));
            }
            else if (letters.Count == 0)
            {
                await context.Error.WriteLineAsync("the dead-letter queue is empty").ConfigureAwait(false);
            }
            else
            {
                DeadLetterView.WriteTable(context.Output, letters);
            }

            return CliApp.Success;
        });
        return command;
    }
}
