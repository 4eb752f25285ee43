using System.Globalization;
using TaskQueue.Cli.Infrastructure;

namespace TaskQueue.Cli.Commands;

/// <summary>The completion handler of <c>taskqueue work --ledger-table</c>: one line per completed entity batch, and a count.</summary>
internal sealed class CompletionPrinter(TextWriter log) : IEntityCompletionHandler
{
    private int _completed;

    /// <summary>How many batch completions this worker announced.</summary>
    public int Completed => Volatile.Read(ref _completed);

    public Task OnEntityCompletedAsync(EntityBatchStatus batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _completed);
        var took = batch is { EnqueuedAt: { } enqueuedAt, CompletedAt: { } completedAt }
            ? string.Create(CultureInfo.InvariantCulture, $", {Math.Max(0, (completedAt - enqueuedAt).TotalSeconds):0.00} s after enqueue")
            : string.Empty;
        var revision = batch.Revision > 1 ? string.Create(CultureInfo.InvariantCulture, $" (revision {batch.Revision})") : string.Empty;
        lock (log)
        {
            log.WriteLine($"entity  {batch.EntityId}  batch {batch.BatchId}{revision} {EntityStatusView.Completion(batch)}: {batch.TotalTasks} task{(batch.TotalTasks == 1 ? "" : "s")}{took}");
        }

        return Task.CompletedTask;
    }
}
