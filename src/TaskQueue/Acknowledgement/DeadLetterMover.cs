using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Moves a message that can never succeed (poison, a task without a handler, or one its handler gave up on) straight
/// to the dead-letter queue, noting why: sent there first, deleted from the source only after the send succeeded.
/// </summary>
internal sealed class DeadLetterMover(ISqsClient sqs, DeadLetterQueueLocator deadLetterQueue, DeleteBatcher deletes, ILogger logger)
{
    /// <summary>Moves the message.</summary>
    /// <returns>True when it is in the DLQ and gone from the source queue.</returns>
    public async Task<bool> MoveAsync(ReceivedMessage message, string reason, int attempts, ReceiptDeadline receiptValidUntil, CancellationToken cancellationToken)
    {
        var dlqUrl = await deadLetterQueue.GetUrlAsync(cancellationToken).ConfigureAwait(false);
        if (dlqUrl is null)
        {
            Log.NoDeadLetterQueueForPoison(logger, message.MessageId);
            return false;
        }

        var copy = MessageCopy.ToDeadLetterQueue(message, "move", message.MessageId, reason, attempts);
        var sent = await sqs.SendMessageBatchAsync(dlqUrl, [copy], cancellationToken).ConfigureAwait(false);
        if (sent.Failed.Count > 0)
        {
            Log.PoisonMoveFailed(logger, message.MessageId, sent.Failed[0].Code, sent.Failed[0].Message);
            return false;
        }

        Log.PoisonMoved(logger, message.MessageId, dlqUrl, reason);
        return await deletes.DeleteAsync(message, receiptValidUntil).ConfigureAwait(false);
    }
}
