using System.Globalization;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>How <c>entity show</c> shows what the ledger knows of an entity: a table per batch, or one JSON document.</summary>
internal static class EntityStatusView
{
    public static object From(EntityStatus status, string ledgerTable) => new
    {
        status.EntityId,
        ledgerTable,
        batches = status.Batches.Select(batch => new
        {
            batch.BatchId,
            batch.EnqueuedAt,
            batch.TotalTasks,
            batch.FinishedTasks,
            complete = batch.IsComplete,
            batch.AllSucceeded,
            batch.CompletedAt,
            batch.Revision,
            batch.AnnouncedRevision,
            tasks = batch.Tasks.Select(task => new
            {
                task.TaskName,
                state = StateName(task.State),
                task.Attempts,
                task.LastError,
                task.FinishedAt,
                durationSeconds = task.Duration?.TotalSeconds,
                task.InDeadLetterQueue,
            }),
        }),
    };

    public static void WriteTables(TextWriter output, EntityStatus status)
    {
        var first = true;
        foreach (var batch in status.Batches)
        {
            if (!first)
            {
                output.WriteLine();
            }

            first = false;
            output.WriteLine(
                $"batch {batch.BatchId}  {status.EntityId}  enqueued {Output.Time(batch.EnqueuedAt)}  " +
                $"{batch.FinishedTasks}/{batch.TotalTasks} finished  {Completion(batch)}  {Announcement(batch)}");
            Output.WriteTable(
                output,
                ["task", "state", "attempts", "duration", "DLQ", "last error"],
                batch.Tasks.Select(task => new[]
                {
                    task.TaskName,
                    StateName(task.State),
                    task.Attempts == 0 ? "-" : task.Attempts.ToString(CultureInfo.InvariantCulture),
                    Duration(task.Duration),
                    InDeadLetterQueue(task),
                    Output.SingleLine(task.LastError),
                }));
            if (batch.Tasks.Count < batch.TotalTasks)
            {
                // A batch the producer did not record: its tasks are known by name only once a worker recorded them.
                var unknown = batch.TotalTasks - batch.Tasks.Count;
                output.WriteLine($"({unknown} more task{(unknown == 1 ? "" : "s")} not recorded yet: enqueue with --ledger-table to list every task by name)");
            }
        }
    }

    /// <summary>The word for a task's state, in text and JSON alike.</summary>
    public static string StateName(EntityTaskState state) => state switch
    {
        EntityTaskState.Completed => "completed",
        EntityTaskState.DeadLettered => "dead-lettered",
        _ => "pending",
    };

    /// <summary>Complete or open, and how many of its tasks were dead-lettered.</summary>
    public static string Completion(EntityBatchStatus batch)
    {
        if (!batch.IsComplete)
        {
            return "open";
        }

        var deadLettered = batch.Tasks.Count(t => t.State == EntityTaskState.DeadLettered);
        return deadLettered == 0 ? "complete" : $"complete, {deadLettered} dead-lettered";
    }

    /// <summary>Which revision of the batch's completion was announced; a revision above 1 is a batch reopened by a redrive.</summary>
    public static string Announcement(EntityBatchStatus batch) => batch switch
    {
        { AnnouncedRevision: 0 } => "not announced",
        { Revision: 1, AnnouncedRevision: 1 } => "announced",
        _ => $"announced revision {batch.AnnouncedRevision} of {batch.Revision}",
    };

    public static string Duration(TimeSpan? duration) =>
        duration is { } d ? d.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "-";

    /// <summary>Yes or no for a dead-lettered task; <c>?</c> when nobody looked (no --queue) or the DLQ held more than was looked at.</summary>
    private static string InDeadLetterQueue(EntityTaskStatus task) => task switch
    {
        { State: not EntityTaskState.DeadLettered } => "-",
        { InDeadLetterQueue: true } => "yes",
        { InDeadLetterQueue: false } => "no",
        _ => "?",
    };
}
