using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary><c>taskqueue status QUEUE [--watch]</c>: depth, in flight, delayed and DLQ depth; live, with a rate, when watched.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var queue = CommandTree.QueueArgument();
        var watch = new Watch("refresh until Ctrl-C, with the rate at which tasks leave the queue");
        var command = new Command("status", "show how many tasks are waiting, in flight, delayed and dead-lettered") { queue };
        watch.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var sqs = context.Connect(parsed);
            var queueUrl = await QueueResolver.ResolveAsync(sqs, parsed.GetValue(queue)!, cancellationToken).ConfigureAwait(false);
            var handler = CommandTree.HandlerFor(context, sqs, queueUrl);
            var name = QueueResolver.NameOf(queueUrl);
            var json = context.WantsJson(parsed);
            if (!watch.IsOn(parsed))
            {
                var status = await handler.GetQueueStatusAsync(cancellationToken).ConfigureAwait(false);
                Print(context.Output, name, status, rate: null, json, live: false);
                return CliApp.Success;
            }

            await watch.RunAsync(parsed, Refresher(context.Output, handler, name, json), cancellationToken).ConfigureAwait(false);
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>One refresh of a watch, never the last: in place on a terminal, else one row per refresh.</summary>
    private static Func<CancellationToken, Task<bool>> Refresher(TextWriter output, TaskQueueHandler handler, string name, bool json)
    {
        var live = !json && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var clock = Stopwatch.StartNew();
        (TimeSpan At, long Remaining)? previous = null;
        return async cancellationToken =>
        {
            var status = await handler.GetQueueStatusAsync(cancellationToken).ConfigureAwait(false);
            // Tasks that left the queue without going to the DLQ: completed (or deleted by someone).
            var remaining = status.Available + status.InFlight + status.Delayed + (status.DeadLetters ?? 0);
            double? rate = previous is { } p ? (p.Remaining - remaining) / (clock.Elapsed - p.At).TotalSeconds : null;
            previous = (clock.Elapsed, remaining);
            Print(output, name, status, rate, json, live);
            return false;
        };
    }

    private static void Print(TextWriter output, string name, QueueStatus status, double? rate, bool json, bool live)
    {
        var rateText = rate is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) + "/s" : "-";
        if (json)
        {
            // One object per line, so a script can read a watch line by line.
            Output.WriteJsonLine(output, new { queue = name, status.Available, status.InFlight, status.Delayed, status.DeadLetters, completedPerSecond = rate });
            return;
        }

        if (live)
        {
            output.Write("\u001b[H\u001b[2J");
            output.WriteLine($"{name}  {DateTimeOffset.Now:HH:mm:ss}  (Ctrl-C stops)");
        }

        Output.WriteTable(
            output,
            ["queue", "available", "in flight", "delayed", "DLQ", "completed"],
            [[name, Output.Number(status.Available), Output.Number(status.InFlight), Output.Number(status.Delayed),
              status.DeadLetters is { } dead ? Output.Number(dead) : "(none)", rateText]]);
    }
}
