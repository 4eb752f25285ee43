using TaskQueue.ModelTests.Recording;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>
/// One worker's connection to the shared entity ledger, with the same faults as its SQS connection: a write refused
/// before it is made, or made and its answer lost; after <see cref="Crash"/> every call hangs, as for a dead process.
/// </summary>
public sealed class FaultInjectingLedger(IEntityLedger inner, string name, CallFaultDice dice, Recorder recorder) : IEntityLedger
{
    private volatile bool _crashed;

    public void Crash() => _crashed = true;

    public bool Crashed => _crashed;

    public Task OpenBatchAsync(string entityId, string batchId, IReadOnlyList<string> taskNames, DateTimeOffset enqueuedAt, CancellationToken cancellationToken) =>
        CallAsync("OpenBatch", batchId, async () => { await inner.OpenBatchAsync(entityId, batchId, taskNames, enqueuedAt, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<EntityBatchStatus> RecordAsync(TaskFate fate, CancellationToken cancellationToken) =>
        CallAsync($"Record {fate.TaskName} {fate.State} (attempt {fate.Attempts})", fate.BatchId, () => inner.RecordAsync(fate, cancellationToken), cancellationToken, Summary);

    public Task<bool> TryClaimCompletionAsync(string entityId, string batchId, int revision, string claimant, CancellationToken cancellationToken) =>
        CallAsync($"TryClaimCompletion (revision {revision})", batchId, () => inner.TryClaimCompletionAsync(entityId, batchId, revision, claimant, cancellationToken), cancellationToken);

    public Task MarkAnnouncedAsync(string entityId, string batchId, int revision, CancellationToken cancellationToken) =>
        CallAsync($"MarkAnnounced (revision {revision})", batchId, async () => { await inner.MarkAnnouncedAsync(entityId, batchId, revision, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken);

    public Task<IReadOnlyList<EntityBatchStatus>> GetBatchesAsync(string entityId, CancellationToken cancellationToken) =>
        CallAsync("GetBatches", entityId, () => inner.GetBatchesAsync(entityId, cancellationToken), cancellationToken);

    private static string Summary(EntityBatchStatus status) =>
        $"{status.FinishedTasks} of {status.TotalTasks} finished, revision {status.Revision}, announced {status.AnnouncedRevision}";

    private async Task<T> CallAsync<T>(string operation, string subject, Func<Task<T>> call, CancellationToken cancellationToken, Func<T, string>? describe = null)
    {
        if (_crashed)
        {
            return await HangAsync<T>(cancellationToken).ConfigureAwait(false);
        }

        var fault = dice.Next();
        if (fault is CallFault.ThrottledBefore or CallFault.ServerErrorBefore)
        {
            recorder.RecordFault(name, "Ledger." + operation, fault.ToString());
            recorder.RecordLedgerCall(name, subject, operation, $"refused ({fault})");
            throw new InvalidOperationException($"Ledger.{operation} failed (injected, {fault})");
        }

        T result;
        try
        {
            result = await call().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            recorder.RecordLedgerCall(name, subject, operation, $"threw {ex.GetType().Name}: {ex.Message}");
            throw;
        }

        if (_crashed)
        {
            recorder.RecordLedgerCall(name, subject, operation, "done, the worker crashed before its answer");
            return await HangAsync<T>(cancellationToken).ConfigureAwait(false);
        }

        if (fault != CallFault.None)
        {
            recorder.RecordFault(name, "Ledger." + operation, fault.ToString());
            recorder.RecordLedgerCall(name, subject, operation, $"done, its answer lost ({fault})");
            throw new InvalidOperationException($"Ledger.{operation} done, its answer lost (injected, {fault})");
        }

        recorder.RecordLedgerCall(name, subject, operation, describe is null ? $"ok: {result}" : $"ok: {describe(result)}");
        return result;
    }

    internal static async Task<T> HangAsync<T>(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("unreachable: an infinite wait ended without cancellation");
    }
}
