namespace TaskQueue.Samples.Demo;

/// <summary>Hears of each completed batch, once across all workers, and of each dead-lettered task, and says so.</summary>
internal sealed class CompletionPrinter(Action<string> say) : IEntityCompletionHandler
{
    public Task OnEntityCompletedAsync(EntityBatchStatus batch, CancellationToken cancellationToken)
    {
        var deadLettered = batch.Tasks.Where(t => t.State == EntityTaskState.DeadLettered).Select(t => $"{t.TaskName}: {t.LastError}").ToList();
        var outcome = batch.AllSucceeded
            ? $"all {batch.TotalTasks} tasks completed"
            : $"{batch.TotalTasks - deadLettered.Count} completed, {deadLettered.Count} dead-lettered ({string.Join("; ", deadLettered)})";
        say($"= entity {batch.EntityId} complete (batch {batch.BatchId[..8]}, revision {batch.Revision}, {(batch.CompletedAt - batch.EnqueuedAt)?.TotalSeconds:0.0}s): {outcome}");
        return Task.CompletedTask;
    }

    public Task OnTaskDeadLetteredAsync(TaskFate fate, CancellationToken cancellationToken)
    {
        say($"  ! {fate.EntityId}/{fate.TaskName} dead-lettered after {fate.Attempts} attempts");
        return Task.CompletedTask;
    }
}
