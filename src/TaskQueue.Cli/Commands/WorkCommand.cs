using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary><c>taskqueue work QUEUE</c>: a worker with the demo handlers echo, sleep and fail, until Ctrl-C or a stop condition.</summary>
internal static class WorkCommand
{
    private static readonly TimeSpan EmptyCheckInterval = TimeSpan.FromSeconds(1);

    public static Command Create(CliContext context)
    {
        var queue = CommandTree.QueueArgument();
        var maxTasks = CommandTree.AtLeast("--max-tasks", 1, int.MaxValue, "stop after this many tasks have run (done or failed)");
        var exitWhenEmpty = new Option<bool>("--exit-when-empty") { Description = "stop once the queue has stayed empty (nothing available, in flight or delayed) for 2 s" };
        var concurrency = CommandTree.AtLeast("--concurrency", 1, 4, "most tasks running at once");
        var ledgerTable = CommandTree.LedgerTableOption("record each task's fate in this entity ledger (a DynamoDB table) and print each entity batch that completes");
        var command = new Command("work", "run a worker with the built-in demo handlers: echo, sleep ({\"seconds\": N}), fail")
        {
            queue, maxTasks, exitWhenEmpty, concurrency, ledgerTable,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var ledger = await context.OpenLedgerAsync(parsed, parsed.GetValue(ledgerTable), cancellationToken).ConfigureAwait(false);
            var sqs = context.Connect(parsed);
            var queueUrl = await QueueResolver.ResolveAsync(sqs, parsed.GetValue(queue)!, cancellationToken).ConfigureAwait(false);
            var handler = CommandTree.HandlerFor(context, sqs, queueUrl);
            // Fails here, in one line, when the queue or the endpoint is not there: the worker stops on a setup error too,
            // but it would keep retrying an endpoint that refuses connections, as a server may be restarting.
            await handler.GetQueueStatusAsync(cancellationToken).ConfigureAwait(false);

            var json = context.WantsJson(parsed);
            var log = json ? TextWriter.Null : context.Output;
            var completions = new CompletionPrinter(log);
            var tally = new Tally(parsed.GetValue(maxTasks));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var worker = new TaskQueueWorker(
                sqs,
                Options.Create(new TaskQueueOptions { QueueUrl = queueUrl, VisibilityTimeout = TimeSpan.FromSeconds(60) }),
                Options.Create(new TaskQueueWorkerOptions
                {
                    MaxConcurrentTasks = parsed.GetValue(concurrency),
                    ReceiveWaitTime = TimeSpan.FromSeconds(5),
                    DeleteFlushInterval = TimeSpan.FromMilliseconds(100),
                    ShutdownTimeout = TimeSpan.FromSeconds(10),
                }),
                (task, taskContext) => RunTaskAsync(task, taskContext, tally, log, stop),
                entityTracking: ledger is null ? null : new EntityTracking(ledger, [completions]),
                payloadStore: context.PayloadStore);

            if (!json)
            {
                await context.Output.WriteLineAsync($"working on {QueueResolver.NameOf(queueUrl)} (tasks: {string.Join(", ", DemoHandlers.TaskNames)}); Ctrl-C stops").ConfigureAwait(false);
            }

            var emptyWatch = parsed.GetValue(exitWhenEmpty) ? StopWhenEmptyAsync(handler, tally, stop) : Task.CompletedTask;
            try
            {
                // Throws, for one line on stderr and exit code 1, when the worker stops on an error no retry can fix.
                await worker.RunAsync(stop.Token).ConfigureAwait(false);
            }
            finally
            {
                // Ends the empty-queue watch too when the worker stopped on its own.
                await stop.CancelAsync().ConfigureAwait(false);
            }

            await emptyWatch.ConfigureAwait(false);

            if (json)
            {
                Output.WriteJson(context.Output, new
                {
                    processed = tally.Done + tally.Failed,
                    done = tally.Done,
                    failed = tally.Failed,
                    entitiesCompleted = ledger is null ? (int?)null : completions.Completed,
                });
            }
            else
            {
                var entities = ledger is null ? string.Empty : $", {completions.Completed} entity batch{(completions.Completed == 1 ? "" : "es")} completed";
                await context.Output.WriteLineAsync($"stopped: {tally.Done + tally.Failed} tasks run, {tally.Done} done, {tally.Failed} failed{entities}").ConfigureAwait(false);
            }

            return CliApp.Success;
        });
        return command;
    }

    private static async Task RunTaskAsync(TaskMessage task, TaskContext taskContext, Tally tally, TextWriter log, CancellationTokenSource stop)
    {
        var clock = Stopwatch.StartNew();
        tally.Start();
        try
        {
            await DemoHandlers.RunAsync(task, taskContext, log).ConfigureAwait(false);
            tally.Finish(succeeded: true);
            Write(log, $"done    {task.EntityId}/{task.TaskName}  receive {taskContext.ReceiveCount}, {clock.Elapsed.TotalSeconds:0.00} s");
        }
        catch (Exception ex)
        {
            tally.Finish(succeeded: false);
            Write(log, $"failed  {task.EntityId}/{task.TaskName}  receive {taskContext.ReceiveCount}: {ex.Message}");
            throw;
        }
        finally
        {
            if (tally.LimitReached)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Write(TextWriter log, string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>Stops the worker once two checks in a row find the queue empty and no task running.</summary>
    private static async Task StopWhenEmptyAsync(TaskQueueHandler handler, Tally tally, CancellationTokenSource stop)
    {
        var emptyChecks = 0;
        try
        {
            while (emptyChecks < 2)
            {
                await Task.Delay(EmptyCheckInterval, stop.Token).ConfigureAwait(false);
                var status = await handler.GetQueueStatusAsync(stop.Token).ConfigureAwait(false);
                var empty = status.Available + status.InFlight + status.Delayed == 0 && tally.Running == 0;
                emptyChecks = empty ? emptyChecks + 1 : 0;
            }

            await stop.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped by Ctrl-C or --max-tasks first.
        }
    }

    /// <summary>Counts of the tasks run, shared by concurrent handlers.</summary>
    private sealed class Tally(int limit)
    {
        private int _done;
        private int _failed;
        private int _running;

        public int Done => Volatile.Read(ref _done);

        public int Failed => Volatile.Read(ref _failed);

        public int Running => Volatile.Read(ref _running);

        public bool LimitReached => Done + Failed >= limit;

        public void Start() => Interlocked.Increment(ref _running);

        public void Finish(bool succeeded)
        {
            Interlocked.Increment(ref succeeded ? ref _done : ref _failed);
            Interlocked.Decrement(ref _running);
        }
    }
}
