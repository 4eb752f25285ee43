using TaskQueue.Sqs;

namespace TaskQueue.Worker;

/// <summary>
/// A received message the worker holds: from the receive until it is acknowledged, backed off or
/// released. The heartbeat extends its visibility while it is held.
/// </summary>
internal sealed class MessageLease(ReceivedMessage message, DateTimeOffset receivedAt, DateTimeOffset visibleUntil)
{
    public ReceivedMessage Message { get; } = message;

    /// <summary>When the worker received it: SQS caps its total visibility at 12 hours from here.</summary>
    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    /// <summary>When its current visibility timeout ends; moved forward by each extension. Guarded by the heartbeat's lock.</summary>
    public DateTimeOffset VisibleUntil { get; set; } = visibleUntil;

    /// <summary>The extension call under way for it, if any: ending the lease waits for it, so no extension races the delete.</summary>
    public Task? Extension { get; set; }

    /// <summary>True once the lease has ended: the heartbeat never extends it again. Guarded by the heartbeat's lock.</summary>
    public bool Ended { get; set; }

    /// <summary>True once the 12-hour cap was logged, so it is logged once.</summary>
    public bool CapReported { get; set; }

    /// <summary>The FIFO group, or the message id on a standard queue, where every message is its own group.</summary>
    public string GroupKey => Message.MessageGroupId ?? Message.MessageId;
}
