using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Runs one held message under its lease and settles it, for the worker's group sequencer: first asks whether the lease
/// still holds, runs the handler, then deletes, backs off, retries under the lease or dead-letters (see
/// <see cref="MessageSettler"/>); a run its lost lease cancelled is never settled as done; what is not to run here is
/// released. Each message's capacity slot is freed once it is no longer held.
/// </summary>
internal sealed class LeaseRunner(
    ISqsClient sqs,
    string queueUrl,
    Func<TaskMessage, TaskContext, Task<TaskOutcome>> handler,
    TaskBodyReader bodies,
    VisibilityHeartbeat heartbeat,
    MessageSettler settler,
    DeleteBatcher deletes,
    CapacityGate capacity,
    bool heartbeatEnabled,
    TimeProvider timeProvider,
    ILogger logger,
    Action markActivity,
    CancellationToken workerCancellation)
{
    /// <summary>How long to wait before asking SQS again about a lease it could not answer for.</summary>
    private static readonly TimeSpan AskAgainPause = TimeSpan.FromSeconds(1);

    /// <summary>Runs one held message and settles it; the message's slot is freed once it is no longer held.</summary>
    /// <param name="lease">The message.</param>
    /// <param name="successorsHeld">True when later messages of its group wait behind it in this worker.</param>
    /// <returns>What the group does next.</returns>
    public async ValueTask<NextStep> RunAsync(MessageLease lease, bool successorsHeld)
    {
        var step = NextStep.Stop;
        try
        {
            step = await RunAndSettleAsync(lease, successorsHeld).ConfigureAwait(false);
            return step;
        }
#pragma warning disable CA1031 // Settling talks to SQS; its failure must not stop the group's chain or the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await heartbeat.EndAsync(lease).ConfigureAwait(false);
            Log.SettleFailed(logger, ex, lease.Message.MessageId);
            return NextStep.Stop;
        }
        finally
        {
            if (step.Kind != NextStepKind.RetryAfter)
            {
                lease.Dispose();

                // With nothing left to run, no other delete will join the batch: send it now instead of after the interval.
                if (capacity.Release(1))
                {
                    deletes.SendPendingNow();
                }
            }

            markActivity();
        }
    }

    private async ValueTask<NextStep> RunAndSettleAsync(MessageLease lease, bool successorsHeld)
    {
        switch (await heartbeat.HoldsAsync(lease).ConfigureAwait(false))
        {
            case LeaseVerdict.Lost:
                // Its visibility ran out while it waited: it may be with another worker now, and what follows it must not overtake it.
                return NextStep.Stop;
            case LeaseVerdict.Unknown:
                // SQS cannot say now: ask again shortly; the group's later messages stay held meanwhile.
                return NextStep.RetryAfter(AskAgainPause);
        }

        if (lease.RunCancellation.IsCancellationRequested && !workerCancellation.IsCancellationRequested)
        {
            // Marked lost while it waited, then found held after all: its run starts with a token of its own.
            lease.RenewRunCancellation();
        }

        if (await RunHandlerAsync(lease).ConfigureAwait(false) is not { } result)
        {
            return await RunCancelledAsync(lease).ConfigureAwait(false);
        }

        var (visibleUntil, leaseLost) = await heartbeat.EndAsync(lease).ConfigureAwait(false);
        if (!leaseLost && heartbeatEnabled && visibleUntil.HasPassed(timeProvider))
        {
            // The run outlasted what this worker knows of the visibility (a late tick, a lost answer): ask SQS before
            // deciding anything; with no answer, the run's settling waits and is tried again.
            var verdict = await heartbeat.AskAsync(lease).ConfigureAwait(false);
            if (verdict == LeaseVerdict.Unknown)
            {
                lease.UnsettledResult = result;
                heartbeat.Resume(lease);
                return NextStep.RetryAfter(AskAgainPause);
            }

            leaseLost = verdict == LeaseVerdict.Lost;
            visibleUntil = lease.VisibleUntil;
        }
        var completedHeld = result.Outcome == ProcessOutcome.Completed && !leaseLost && !visibleUntil.HasPassed(timeProvider);
        if (completedHeld && !result.FateRecorded && settler.TracksEntities)
        {
            // With entity tracking the fate is recorded (and a completed batch announced) before the delete, and waited
            // for here, under the lease: a stop must not cut it off. The delete itself then goes out like any other.
            if (await settler.RecordCompletedAsync(lease.Message, result, visibleUntil, heartbeatEnabled).ConfigureAwait(false) is { } retry)
            {
                if (!heartbeatEnabled)
                {
                    // Tried while the receipt held: the message stays, to be recorded when it comes back.
                    return NextStep.Stop;
                }

                lease.UnsettledResult = result;
                heartbeat.Resume(lease);
                return NextStep.RetryAfter(retry);
            }

            result = result with { FateRecorded = true };
        }

        if (completedHeld && (result.FateRecorded || !settler.TracksEntities))
        {
            // The delete goes out with its batch; the group's next task and the slot need not wait for it.
            // Shutdown flushes the batcher, and a delete that fails for good is logged there.
            settler.DeleteCompletedInBackground(lease.Message, visibleUntil);
            return NextStep.Continue;
        }

        var settlement = await settler.SettleAsync(
            lease.Message, result, visibleUntil, leaseLost, mayRetryUnderLease: successorsHeld && heartbeatEnabled, CancellationToken.None, leaseKeptAlive: heartbeatEnabled).ConfigureAwait(false);
        if (settlement.RetryUnderLeaseAfter is { } delay)
        {
            if (settlement.SettleAgain)
            {
                // The settlement's copy of the run: it may carry how far the settling got (a dead-letter copy already sent).
                lease.UnsettledResult = settlement.Result;
            }
            else
            {
                lease.RetriesUnderLease++;
            }

            heartbeat.Resume(lease);
            return NextStep.RetryAfter(delay);
        }

        return settlement.Result.Deleted ? NextStep.Continue : NextStep.Stop;
    }

    /// <summary>
    /// After a run stopped by its token. Cancelled by shutdown: not done, so not deleted; released so another worker takes it
    /// at once. Cancelled because the lease was lost: the message is no longer this worker's to release, and the group stops.
    /// Lost, then received again by this worker: it holds the message again, so the task runs afresh under the new receipt.
    /// </summary>
    private async ValueTask<NextStep> RunCancelledAsync(MessageLease lease)
    {
        var (_, lost) = await heartbeat.EndAsync(lease).ConfigureAwait(false);
        if (!lost && !workerCancellation.IsCancellationRequested && lease.RunCancellation.IsCancellationRequested)
        {
            lease.RenewRunCancellation();
            heartbeat.Resume(lease);
            return NextStep.RetryAfter(TimeSpan.Zero);
        }

        await ReleaseAsync([lease]).ConfigureAwait(false);
        return NextStep.Stop;
    }

    /// <summary>Runs the task, or takes the run whose settling is to be tried again; null when its token was cancelled.</summary>
    private async ValueTask<ProcessResult<TaskOutcome>?> RunHandlerAsync(MessageLease lease)
    {
        if (lease.UnsettledResult is { } unsettled)
        {
            lease.UnsettledResult = null;
            return unsettled;
        }

        try
        {
            return await TaskDispatcher.DispatchAsync(queueUrl, lease.Message, lease.Attempt, handler, bodies, timeProvider, logger, lease.RunCancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lease.RunCancellation.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Releases messages that are not to run here (after a failure or a lost lease earlier in their group, or on stop) and frees their slots.</summary>
    public async Task ReleaseUnstartedAsync(IReadOnlyList<MessageLease> leases)
    {
        try
        {
            await ReleaseAsync(leases).ConfigureAwait(false);
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }

            capacity.Release(leases.Count);
        }
    }

    /// <summary>A tracked task whose run completed or whose dead-letter copy was sent: its fate is to be recorded before its message goes.</summary>
    private bool IsTrackedFinish(ProcessResult<TaskOutcome> result) =>
        settler.TracksEntities && EntityCompletionTracker.IsTracked(result.Task) && (result.Outcome == ProcessOutcome.Completed || result.DeadLetterCopied);

    /// <summary>
    /// Ends the leases and makes the messages visible again at once; a lost lease is only ended, its receipt no longer holds
    /// the message; a task that completed while SQS could not confirm its lease is deleted instead.
    /// </summary>
    private async Task ReleaseAsync(IReadOnlyList<MessageLease> leases)
    {
        var held = new List<ReceivedMessage>(leases.Count);
        foreach (var lease in leases)
        {
            var (visibleUntil, lost) = await heartbeat.EndAsync(lease).ConfigureAwait(false);
            if (lost)
            {
                continue;
            }

            if (lease.UnsettledResult is { } unsettled && IsTrackedFinish(unsettled))
            {
                // A tracked task done (or copied to the DLQ) whose fate is not recorded yet: one last try to record it and
                // finish; deleting it unrecorded would lose its batch's completion, so what fails is released and runs again.
                var settlement = await settler.SettleAsync(lease.Message, unsettled, visibleUntil, leaseLost: false, mayRetryUnderLease: false, CancellationToken.None).ConfigureAwait(false);
                if (!settlement.Result.Deleted)
                {
                    held.Add(lease.Message);
                }

                continue;
            }

            if (lease.UnsettledResult is { Outcome: ProcessOutcome.Completed })
            {
                // Its task is done, only SQS's answer about its lease was missing: a release would run it again. The delete
                // goes out with its batch (shutdown flushes it), with a last try past this worker's deadline.
                _ = settler.DeleteCompletedAsync(lease.Message, visibleUntil);
                continue;
            }

            held.Add(lease.Message);
        }

        if (held.Count > 0)
        {
            await VisibilityReleaser.ReleaseAsync(sqs, queueUrl, held, logger).ConfigureAwait(false);
            Log.MessagesReleased(logger, held.Count);
        }
    }
}
