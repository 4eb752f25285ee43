using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// A received message the worker holds: from the receive until it is acknowledged, backed off,
/// released or lost. The heartbeat extends its visibility while it is held; its own token stops its
/// run when the lease is lost or the worker's shutdown gives up waiting.
/// </summary>
internal sealed class MessageLease : IDisposable
{
    private readonly CancellationToken _workerCancellation;
    private CancellationTokenSource _run;

    public MessageLease(ReceivedMessage message, long receivedAt, ReceiptDeadline visibleUntil, CancellationToken workerCancellation)
    {
        Message = message;
        ReceivedAt = receivedAt;
        VisibleUntil = visibleUntil;
        _workerCancellation = workerCancellation;
        _run = NewRunCancellation();
    }

    /// <summary>The newest receive of the message: its receipt handle is the one that extends and deletes. Guarded by the heartbeat's lock.</summary>
    public ReceivedMessage Message { get; set; }

    /// <summary>Monotonic time of the newest receive: SQS caps a message's visibility at 12 hours from there.</summary>
    public long ReceivedAt { get; set; }

    /// <summary>When the current visibility timeout ends; moved forward by each extension. Guarded by the heartbeat's lock.</summary>
    public ReceiptDeadline VisibleUntil { get; set; }

    /// <summary>The extension call under way for it, if any: ending the lease waits for it, so no extension races the delete.</summary>
    public Task? Extension { get; set; }

    /// <summary>True while the heartbeat does not extend it: acknowledged, released, or about to be. Guarded by the heartbeat's lock.</summary>
    public bool Ended { get; set; }

    /// <summary>
    /// True once SQS refused an extension or the visibility ran out: the message may be with another worker, so
    /// this one must neither delete nor release it, unless this worker receives it again (then the lease holds again).
    /// Guarded by the heartbeat's lock.
    /// </summary>
    public bool Lost { get; set; }

    /// <summary>True once the 12-hour cap was logged, so it is logged once.</summary>
    public bool CapReported { get; set; }

    /// <summary>Attempts made under this lease after the one its receive started: a failed task retried while its successors wait.</summary>
    public int RetriesUnderLease { get; set; }

    /// <summary>A run whose settling is to be tried again (its dead-letter move failed): the next step settles it instead of running the task.</summary>
    public ProcessResult<TaskOutcome>? UnsettledResult { get; set; }

    /// <summary>Which attempt of the task the next run is: the receives SQS counted plus the retries made under this lease.</summary>
    public int Attempt => Message.ReceiveCount + RetriesUnderLease;

    /// <summary>The token of the task's run: cancelled when the lease is lost or the worker stops waiting for running tasks.</summary>
    public CancellationToken RunCancellation => _run.Token;

    /// <summary>The FIFO group, or the message id on a standard queue, where every message is its own group.</summary>
    public string GroupKey => Message.MessageGroupId ?? Message.MessageId;

    /// <summary>Signals the run's token; harmless once the lease has been disposed.</summary>
    public void CancelRun()
    {
        try
        {
            _run.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run has already ended and its lease was let go: nothing left to stop.
        }
    }

    /// <summary>A fresh token for a new run, after a run cancelled by a lost lease that this worker then received again.</summary>
    public void RenewRunCancellation()
    {
        _run.Dispose();
        _run = NewRunCancellation();
    }

    /// <summary>
    /// A source of its own, not linked to the worker's token: linking costs every task a registration on the one token all
    /// of them share. The worker's stop reaches runs under way through <see cref="VisibilityHeartbeat.CancelRuns"/>; a
    /// lease started after it starts cancelled.
    /// </summary>
    private CancellationTokenSource NewRunCancellation()
    {
        var run = new CancellationTokenSource();
        if (_workerCancellation.IsCancellationRequested)
        {
            run.Cancel();
        }

        return run;
    }

    /// <inheritdoc />
    public void Dispose() => _run.Dispose();
}
