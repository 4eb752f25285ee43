using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Looks at dead letters without consuming them: receives them with a short visibility timeout,
/// page after page, then releases every one at once (visibility 0). Each peek adds one to a
/// message's receive count. On a FIFO DLQ a peek sees the oldest message of each group: the rest
/// of a group stays locked behind it until it is released.
/// </summary>
internal sealed class DeadLetterPeeker(ISqsClient sqs, TaskQueueOptions options, DeadLetterQueueLocator deadLetterQueue, ILogger logger)
{
    public async Task<IReadOnlyList<DeadLetterMessage>> PeekAsync(int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        var dlqUrl = await deadLetterQueue.GetUrlAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"Queue {options.QueueUrl} has no dead-letter queue: set DeadLetterQueueUrl or give the queue a RedrivePolicy.");

        var pages = new DeadLetterPages(sqs, dlqUrl, options.PeekVisibilityTimeout);
        var peeked = new List<ReceivedMessage>();
        try
        {
            await foreach (var page in pages.ReadAsync(maxMessages, cancellationToken).ConfigureAwait(false))
            {
                peeked.AddRange(page);
            }
        }
        finally
        {
            await VisibilityReleaser.ReleaseAsync(sqs, dlqUrl, pages.Held.Values, logger).ConfigureAwait(false);
        }

        return peeked.Select(m => Describe(pages.Held[m.MessageId])).ToList();
    }

    /// <summary>What a dead letter is: its task's entity and name (from the body, else the attributes), or why it is poison, and why it was moved.</summary>
    /// <remarks>A pointer's stored body is not fetched: a peek of many large dead letters would download them all.</remarks>
    internal static DeadLetterMessage Describe(ReceivedMessage message)
    {
        PointerTask.Read(message, out var task, out var payload, out var poisonReason);
        return new DeadLetterMessage(
            message.MessageId,
            message.ReceiptHandle,
            task?.EntityId ?? message.Attributes.GetValueOrDefault(WireFormat.EntityId),
            task?.TaskName ?? message.Attributes.GetValueOrDefault(WireFormat.TaskName),
            message.ReceiveCount,
            task?.EnqueuedAt,
            message.MessageGroupId,
            message.Body,
            poisonReason,
            DeadLetterNote.Reason(message.Attributes),
            DeadLetterNote.Attempts(message.Attributes))
        {
            BatchId = task?.BatchId,
            Payload = payload,
        };
    }
}
