namespace TaskQueue.FaultWorker;

/// <summary>
/// The completion handler of the fault worker: records every announcement it hears in the completion log before it
/// returns, so the suite sees each one, and a worker killed between announcing and the ledger's mark shows as the
/// announcer of a duplicate.
/// </summary>
internal sealed class AnnouncementLog(CompletionLog log) : IEntityCompletionHandler
{
    public Task OnEntityCompletedAsync(EntityBatchStatus batch, CancellationToken cancellationToken)
    {
        log.Announced(batch);
        return Task.CompletedTask;
    }

    public Task OnTaskDeadLetteredAsync(TaskFate fate, CancellationToken cancellationToken)
    {
        log.DeadLetterAnnounced(fate);
        return Task.CompletedTask;
    }
}
