using System.CommandLine;
using TaskQueue.Cli.Infrastructure;
using TaskQueue.Enqueue;

namespace TaskQueue.Cli.Commands;

/// <summary><c>taskqueue enqueue QUEUE ENTITY TASK...</c>: one message per task, as a producer would send them.</summary>
internal static class EnqueueCommand
{
    public static Command Create(CliContext context)
    {
        var queue = CommandTree.QueueArgument();
        var entity = new Argument<string>("entity") { Description = "the entity the tasks belong to, e.g. doc-123" };
        var tasks = new Argument<string[]>("task") { Description = "one or more task names", Arity = ArgumentArity.OneOrMore };
        var config = new Option<string?>("--config") { Description = "task config for every task, a JSON object, e.g. '{\"seconds\": 2}'" };
        var metadata = new Option<string?>("--metadata") { Description = "metadata shared by the tasks, a JSON object, e.g. '{\"tenant\": \"acme\"}'" };
        var command = new Command("enqueue", "enqueue the tasks of one entity") { queue, entity, tasks, config, metadata };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var taskConfig = JsonArgument.ParseObject(parsed.GetValue(config), "--config");
            var sharedMetadata = JsonArgument.ParseObject(parsed.GetValue(metadata), "--metadata");
            var sqs = context.Connect(parsed);
            var queueUrl = await QueueResolver.ResolveAsync(sqs, parsed.GetValue(queue)!, cancellationToken).ConfigureAwait(false);
            var result = await CommandTree.HandlerFor(sqs, queueUrl).EnqueueTasksAsync(
                parsed.GetValue(entity)!,
                parsed.GetValue(tasks)!.Select(name => new TaskSpec(name, taskConfig)),
                sharedMetadata,
                cancellationToken).ConfigureAwait(false);

            if (context.WantsJson(parsed))
            {
                Output.WriteJson(context.Output, result);
            }
            else
            {
                foreach (var task in result.Tasks)
                {
                    await context.Output.WriteLineAsync(task.Succeeded
                        ? $"sent    {result.EntityId}/{task.TaskName}  message {task.MessageId}"
                        : $"FAILED  {result.EntityId}/{task.TaskName}  {task.ErrorCode}: {task.ErrorMessage}").ConfigureAwait(false);
                }
            }

            return result.AllSucceeded ? CliApp.Success : CliApp.Failure;
        });
        return command;
    }
}
