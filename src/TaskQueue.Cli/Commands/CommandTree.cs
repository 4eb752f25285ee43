using System.CommandLine;
using System.Globalization;
using System.CommandLine.Help;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary>The whole command tree of <c>taskqueue</c>.</summary>
internal static class CommandTree
{
    public static Command Build(CliContext context)
    {
        // A plain command named for the tool, not RootCommand, whose name would be the assembly's in help text.
        var root = new Command(
            "taskqueue",
            "Operate TaskQueue's SQS FIFO task queues: create them, enqueue tasks, run a demo worker, watch status, peek at and redrive dead letters, follow an entity's completion.")
        {
            new HelpOption(),
            new VersionOption(),
            context.Endpoint,
            context.DynamoDbEndpoint,
            context.Region,
            context.Json,
            context.PayloadBucket,
        };

        var queues = new Command("queues", "list and create task queues");
        queues.Add(QueuesListCommand.Create(context));
        queues.Add(QueuesCreateCommand.Create(context));
        root.Add(queues);

        root.Add(EnqueueCommand.Create(context));
        root.Add(WorkCommand.Create(context));
        root.Add(StatusCommand.Create(context));

        var dlq = new Command("dlq", "look at and redrive the dead letters of a task queue");
        dlq.Add(DlqPeekCommand.Create(context));
        dlq.Add(DlqRedriveCommand.Create(context));
        root.Add(dlq);

        var entity = new Command("entity", "follow the completion of an entity's tasks in the entity ledger");
        entity.Add(EntityShowCommand.Create(context));
        root.Add(entity);

        var ledger = new Command("ledger", "set up the entity ledger (a DynamoDB table) that workers record each task's fate in");
        ledger.Add(LedgerCreateCommand.Create(context));
        root.Add(ledger);
        return root;
    }

    /// <summary>The <c>&lt;queue&gt;</c> argument every queue command takes.</summary>
    public static Argument<string> QueueArgument() => new("queue") { Description = "the task queue: its URL, or its name (.fifo may be left out)" };

    /// <summary>An integer option that must be at least <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(string name, int minimum, int defaultValue, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            // A token that is no number at all is reported by the parser itself.
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, CultureInfo.InvariantCulture, out var value) && value < minimum)
            {
                result.AddError($"{name} must be at least {minimum}, not {value}");
            }
        });
        return option;
    }

    /// <summary>The <c>--ledger-table</c> option of a command that records in or reads the entity ledger.</summary>
    public static Option<string?> LedgerTableOption(string description, bool required = false) =>
        new("--ledger-table") { Description = description, Required = required };

    /// <summary>
    /// A handler on one queue, its DLQ found from the queue's redrive policy; large bodies go through the CLI's payload
    /// store; with a ledger, enqueues record their batch in it.
    /// </summary>
    public static TaskQueueHandler HandlerFor(CliContext context, Sqs.ISqsClient sqs, string queueUrl, IEntityLedger? ledger = null)
    {
        var options = new TaskQueueOptions { QueueUrl = queueUrl, WaitTime = TimeSpan.FromSeconds(1) };
        options.LargePayloads.Bucket = context.Bucket;
        return new(
            sqs,
            Microsoft.Extensions.Options.Options.Create(options),
            entityTracking: ledger is null ? null : new EntityTracking(ledger),
            payloadStore: context.PayloadStore);
    }
}
