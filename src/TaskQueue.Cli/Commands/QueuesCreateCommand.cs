using System.CommandLine;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary><c>taskqueue queues create NAME</c>: a FIFO task queue and its FIFO DLQ, or a report of how existing ones differ.</summary>
internal static class QueuesCreateCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "the queue's name; .fifo is added when missing; the DLQ is NAME-dlq.fifo" };
        var maxReceiveCount = CommandTree.AtLeast("--max-receive-count", 1, 5, "receives after which a task moves to the DLQ");
        var visibilityTimeout = CommandTree.AtLeast("--visibility-timeout", 0, 300, "the queue's visibility timeout, seconds");
        var highThroughput = new Option<bool>("--high-throughput")
        {
            Description = "high-throughput FIFO: deduplication and the throughput quota per message group instead of per queue",
        };
        var command = new Command("create", "create a FIFO task queue and its DLQ (idempotent; differences of existing queues are reported)")
        {
            name, maxReceiveCount, visibilityTimeout, highThroughput,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var queueName = parsed.GetValue(name)!;
            var definition = new QueueDefinition(queueName.EndsWith(".fifo", StringComparison.Ordinal) ? queueName : queueName + ".fifo")
            {
                MaxReceiveCount = parsed.GetValue(maxReceiveCount),
                VisibilityTimeout = TimeSpan.FromSeconds(parsed.GetValue(visibilityTimeout)),
                HighThroughput = parsed.GetValue(highThroughput),
            };
            var queues = await new QueueProvisioner(context.Connect(parsed)).EnsureQueuesAsync(definition, cancellationToken).ConfigureAwait(false);
            if (context.WantsJson(parsed))
            {
                Output.WriteJson(context.Output, queues);
                return CliApp.Success;
            }

            Write(context.Output, definition.QueueName, queues.QueueUrl, queues.Created);
            Write(context.Output, definition.EffectiveDeadLetterQueueName, queues.DeadLetterQueueUrl, queues.Created);
            foreach (var difference in queues.Differences)
            {
                await context.Output.WriteLineAsync($"differs  {difference} (left as it is)").ConfigureAwait(false);
            }

            return CliApp.Success;
        });
        return command;
    }

    private static void Write(TextWriter output, string name, string url, IReadOnlyList<string> created) =>
        output.WriteLine($"{(created.Contains(name) ? "created" : "exists ")}  {name}  {url}");
}
