using TaskQueue.ModelTests.Recording;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>A worker's completion handler: records each announcement it makes; a crashed worker announces nothing.</summary>
public sealed class RecordingAnnouncer(string worker, FaultInjectingLedger ledger, Recorder recorder) : IEntityCompletionHandler
{
    public async Task OnEntityCompletedAsync(EntityBatchStatus batch, CancellationToken cancellationToken)
    {
        if (ledger.Crashed)
        {
            await FaultInjectingLedger.HangAsync<bool>(cancellationToken).ConfigureAwait(false);
        }

        recorder.RecordAnnouncement(worker, batch);
    }
}
