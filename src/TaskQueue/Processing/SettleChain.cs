using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// What settles a run, assembled in one place for the worker and ProcessOne alike: the settler, the delete batcher it
/// and the dead-letter mover share, and the locator of the dead-letter queue.
/// </summary>
/// <param name="DeadLetterQueue">Finds the DLQ from the options or the queue's redrive policy; shareable with status and peeking.</param>
/// <param name="Deletes">Batches the deletes of finished messages; flushed on shutdown.</param>
/// <param name="Settler">Decides what becomes of a message once its handler has run.</param>
/// <param name="Tracker">Records fates and announces completions; null without entity tracking.</param>
/// <param name="Payloads">Deletes the stored bodies of deleted messages; drained on shutdown.</param>
internal sealed record SettleChain(DeadLetterQueueLocator DeadLetterQueue, DeleteBatcher Deletes, MessageSettler Settler, EntityCompletionTracker? Tracker, PayloadCleanup Payloads)
{
    /// <summary>Builds the chain.</summary>
    /// <param name="sqs">The SQS client.</param>
    /// <param name="options">The queue's settings.</param>
    /// <param name="deleteFlushInterval">How long a delete waits for others to share its batch; zero sends at once.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="unknownTaskHandling">What becomes of a task no handler is registered for.</param>
    /// <param name="entityTracking">The entity ledger and completion handlers; null when completions are not tracked.</param>
    /// <param name="payloadStore">Where stored bodies are kept; null when none is configured.</param>
    /// <returns>The chain.</returns>
    public static SettleChain Create(
        ISqsClient sqs,
        TaskQueueOptions options,
        TimeSpan deleteFlushInterval,
        TimeProvider timeProvider,
        ILogger logger,
        UnknownTaskHandling unknownTaskHandling = UnknownTaskHandling.FailAndLeaveForRedrive,
        EntityTracking? entityTracking = null,
        IPayloadStore? payloadStore = null)
    {
        var deadLetterQueue = new DeadLetterQueueLocator(sqs, options);
        var deletes = new DeleteBatcher(sqs, options.QueueUrl, deleteFlushInterval, timeProvider, logger);
        var mover = new DeadLetterMover(sqs, deadLetterQueue, deletes, logger);
        var tracker = entityTracking is null ? null : new EntityCompletionTracker(entityTracking, timeProvider, logger);
        var payloads = new PayloadCleanup(payloadStore, options.LargePayloads, logger);
        var settler = new MessageSettler(sqs, options, deletes, mover, deadLetterQueue, timeProvider, logger, unknownTaskHandling, tracker, payloads);
        return new SettleChain(deadLetterQueue, deletes, settler, tracker, payloads);
    }
}
