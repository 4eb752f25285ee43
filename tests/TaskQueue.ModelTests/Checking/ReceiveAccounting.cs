using TaskQueue.ModelTests.Recording;

namespace TaskQueue.ModelTests.Checking;

/// <summary>Says, from what was observed, why each receive of a message happened to count against it.</summary>
public sealed class ReceiveAccounting(ScenarioFacts facts)
{
    public ReceiveCause CauseOf(ReceiveRecord receive)
    {
        if (receive.Lost)
        {
            // A receive under way when its worker died is lost with the process.
            return facts.EventAfter(receive.Worker, WorkerEventKind.Crashed, long.MinValue) is { } died && died.Seq < receive.Seq
                ? ReceiveCause.Crash
                : ReceiveCause.LostResponse;
        }

        var runs = facts.RunsUnder(receive).ToList();
        if (runs.Any(r => r.Outcome == RunOutcome.Failed) || facts.IsPoison(receive.Serial))
        {
            return ReceiveCause.OwnFailure;
        }

        var next = facts.NextReceive(receive)?.Seq ?? long.MaxValue;
        var release = facts.ReleaseBefore(receive.ReceiptHandle, next);
        var crash = facts.EventAfter(receive.Worker, WorkerEventKind.Crashed, receive.Seq);
        if (crash is not null && crash.Seq < next && (release is null || release.Seq > crash.Seq))
        {
            return ReceiveCause.Crash;
        }

        // A stop requested before the receive counts too: a receive under way at the stop brings messages that are released.
        var stop = facts.EventAfter(receive.Worker, WorkerEventKind.StopRequested, long.MinValue) is { } stopped && stopped.Seq < next ? stopped : null;
        if (runs.Any(r => r.Outcome == RunOutcome.Cancelled) || (stop is not null && release is not null && release.Seq > stop.Seq))
        {
            return ReceiveCause.Stop;
        }

        // Released by a pause that outlasted its bound: the worker was paused when it let the message go, or a pause after
        // the receive outlasted its bound and the release came once what ran ahead in the group had settled.
        if (release is not null && (facts.PausedAt(receive.Worker, release.Seq) || facts.PauseOutlastedItsBound(receive.Worker, receive.Seq, release.Seq)))
        {
            return ReceiveCause.PauseRelease;
        }

        // Released, but it had come back to a worker that still held it under a receive whose lease was lost.
        if (release is null || facts.StillHeldBefore(receive) is not null)
        {
            return ReceiveCause.LeaseLost;
        }

        return facts.LeaseLostAhead(receive, release) ? ReceiveCause.LeaseLostAhead : ReceiveCause.Unexplained;
    }
}
