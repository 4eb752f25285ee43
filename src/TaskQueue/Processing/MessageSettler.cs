using Microsoft.Extensions.Logging;
using TaskQueue.Configuration;
using TaskQueue.Logging;
using TaskQueue.Sqs;

namespace TaskQueue.Processing;

/// <summary>
/// Decides what becomes of a message once its handler has run: deleted only on success, left in the
/// queue on failure (it comes back after its visibility timeout and, after maxReceiveCount receives,
/// lands in the DLQ), and poison left for the redrive policy or moved to the DLQ at once.
/// </summary>
internal sealed class MessageSettler(
    ISqsClient sqs, TaskQueueOptions options, DeadLetterQueueLocator deadLetterQueue, TimeProvider timeProvider, ILogger logger)
{
    private const int DeleteAttempts = 3;
    private static readonly TimeSpan DeleteRetryDelay = TimeSpan.FromMilliseconds(100);

    public async Task<ProcessResult<TResult>> SettleAsync<TResult>(
        ReceivedMessage message, ProcessResult<TResult> result, CancellationToken cancellationToken)
    {
        switch (result.Outcome)
        {
            case ProcessOutcome.Completed:
                return result with { Deleted = await DeleteAsync(message, cancellationToken).ConfigureAwait(false) };
            case ProcessOutcome.Poison when options.PoisonMessageHandling == PoisonMessageHandling.MoveToDeadLetterQueue:
                return result with { Deleted = await MoveToDeadLetterQueueAsync(message, result.PoisonReason, cancellationToken).ConfigureAwait(false) };
            default:
                return result;
        }
    }

    /// <summary>Deletes a finished message, retrying transient failures: a lost delete runs a finished task again.</summary>
    private async Task<bool> DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sqs.DeleteMessageAsync(options.QueueUrl, message.ReceiptHandle, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TaskQueueException ex) when (ex.IsTransient && attempt < DeleteAttempts)
            {
                Log.DeleteRetrying(logger, ex, message.MessageId, attempt);
                await Task.Delay(DeleteRetryDelay * attempt, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TaskQueueException ex)
            {
                Log.DeleteFailed(logger, ex, message.MessageId);
                return false;
            }
        }
    }

    /// <summary>Sends a poison message to the DLQ, then deletes it from the source; the delete happens only after the send succeeded.</summary>
    private async Task<bool> MoveToDeadLetterQueueAsync(ReceivedMessage message, string? reason, CancellationToken cancellationToken)
    {
        var dlqUrl = await deadLetterQueue.GetUrlAsync(cancellationToken).ConfigureAwait(false);
        if (dlqUrl is null)
        {
            Log.NoDeadLetterQueueForPoison(logger, message.MessageId);
            return false;
        }

        var copy = new OutgoingMessage(
            Id: "poison",
            Body: message.Body,
            MessageGroupId: message.MessageGroupId ?? message.MessageId,
            // The message id keeps a second move of the same message (after a crash between send and delete) from duplicating it.
            MessageDeduplicationId: message.MessageId,
            Attributes: message.Attributes);
        var sent = await sqs.SendMessageBatchAsync(dlqUrl, [copy], cancellationToken).ConfigureAwait(false);
        if (sent.Failed.Count > 0)
        {
            var failure = sent.Failed[0];
            Log.PoisonMoveFailed(logger, message.MessageId, failure.Code, failure.Message);
            return false;
        }

        Log.PoisonMoved(logger, message.MessageId, dlqUrl, reason);
        return await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
    }
}
