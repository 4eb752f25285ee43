using System.CommandLine;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary><c>taskqueue queues list [--prefix P]</c>: the queues' names and URLs.</summary>
internal static class QueuesListCommand
{
    public static Command Create(CliContext context)
    {
        var prefix = new Option<string?>("--prefix") { Description = "only queues whose name starts with this" };
        var command = new Command("list", "list queues by name prefix") { prefix };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var urls = await context.Connect(parsed).ListQueuesAsync(parsed.GetValue(prefix), cancellationToken).ConfigureAwait(false);
            var queues = urls.Select(url => new { Name = QueueResolver.NameOf(url), Url = url }).ToList();
            if (context.WantsJson(parsed))
            {
                Output.WriteJson(context.Output, queues);
            }
            else if (queues.Count == 0)
            {
                await context.Error.WriteLineAsync("no queues").ConfigureAwait(false);
            }
            else
            {
                Output.WriteTable(context.Output, ["name", "url"], queues.Select(q => new[] { q.Name, q.Url }));
            }

            return CliApp.Success;
        });
        return command;
    }
}
