using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Moves a message that can never succeed (poison, a task without a handler, or one its handler gave up on) straight
/// to the dead-letter queue, noting why: sent there first, deleted from the source only after the send succeeded (and
/// after what the caller records of the move, when it records anything: a move recorded must have happened, and a
/// failed record keeps the message).
/// </summary>
internal sealed class DeadLetterMover(ISqsClient sqs, DeadLetterQueueLocator deadLetterQueue, DeleteBatcher deletes, ILogger logger)
{
    /// <summary>Moves the message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="task">The task it holds, whose entity and name the copy carries as attributes; null for a poison message.</param>
    /// <param name="reason">Why, noted on the copy.</param>
    /// <param name="attempts">How many attempts it had, noted on the copy.</param>
    /// <param name="receiptValidUntil">When the receipt stops holding the message.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <param name="beforeDelete">Runs once the copy is in the DLQ, before the delete; false keeps the message where it is.</param>
    /// <param name="alreadyCopied">True when an earlier try sent the copy: only what follows it is done.</param>
    /// <returns>How far the move got.</returns>
    public async Task<DeadLetterMove> MoveAsync(
        ReceivedMessage message,
        TaskMessage? task,
        string reason,
        int attempts,
        ReceiptDeadline receiptValidUntil,
        CancellationToken cancellationToken,
        Func<CancellationToken, Task<bool>>? beforeDelete = null,
        bool alreadyCopied = false)
    {
        if (!alreadyCopied)
        {
            var dlqUrl = await deadLetterQueue.GetUrlAsync(cancellationToken).ConfigureAwait(false);
            if (dlqUrl is null)
            {
                Log.NoDeadLetterQueueForPoison(logger, message.MessageId);
                return DeadLetterMove.NotMoved;
            }

            // Deduplicated by the message's own id: a move repeated after a crash sends nothing new, and the DLQ check knows
            // the task's message (and so the claim of its batch's announcement) by it.
            var copy = MessageCopy.ToDeadLetterQueue(message, task, "move", message.MessageId, reason, attempts);
            var sent = await sqs.SendMessageBatchAsync(dlqUrl, [copy], cancellationToken).ConfigureAwait(false);
            if (sent.Failed.Count > 0)
            {
                Log.PoisonMoveFailed(logger, message.MessageId, sent.Failed[0].Code, sent.Failed[0].Message);
                return DeadLetterMove.NotMoved;
            }

            Log.PoisonMoved(logger, message.MessageId, dlqUrl, reason);
        }

        if (beforeDelete is not null && !await beforeDelete(cancellationToken).ConfigureAwait(false))
        {
            return DeadLetterMove.Copied;
        }

        return await deletes.DeleteAsync(message, receiptValidUntil).ConfigureAwait(false) ? DeadLetterMove.Moved : DeadLetterMove.Copied;
    }
}

/// <summary>How far a move to the dead-letter queue got.</summary>
internal enum DeadLetterMove
{
    /// <summary>No copy reached the DLQ: the message is where it was.</summary>
    NotMoved,

    /// <summary>The copy is in the DLQ, the message still in the source queue (the record or the delete failed).</summary>
    Copied,

    /// <summary>In the DLQ and gone from the source queue.</summary>
    Moved,
}
