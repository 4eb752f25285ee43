using Microsoft.Extensions.Logging;
using TaskQueue.Configuration;
using TaskQueue.Logging;
using TaskQueue.Messages;
using TaskQueue.Processing;
using TaskQueue.Sqs;

namespace TaskQueue.Operations;

/// <summary>
/// Looks at dead letters without consuming them: receives them with a short visibility timeout,
/// page after page, then releases every one at once (visibility 0). Each peek adds one to a
/// message's receive count. On a FIFO DLQ a peek sees the oldest message of each group: the rest
/// of a group stays locked behind it until it is released.
/// </summary>
internal sealed class DeadLetterPeeker(ISqsClient sqs, TaskQueueOptions options, DeadLetterQueueLocator deadLetterQueue, ILogger logger)
{
    private const int MaxPerReceive = 10;
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<DeadLetterMessage>> PeekAsync(int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        var dlqUrl = await deadLetterQueue.GetUrlAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"Queue {options.QueueUrl} has no dead-letter queue: set DeadLetterQueueUrl or give the queue a RedrivePolicy.");

        var received = new Dictionary<string, ReceivedMessage>(StringComparer.Ordinal);
        try
        {
            while (received.Count < maxMessages)
            {
                var page = await sqs.ReceiveMessagesAsync(
                    dlqUrl,
                    new ReceiveOptions(Math.Min(MaxPerReceive, maxMessages - received.Count), PageWait, options.PeekVisibilityTimeout),
                    cancellationToken).ConfigureAwait(false);
                var added = 0;
                foreach (var message in page)
                {
                    // A message seen twice keeps its latest receipt handle: the earlier one no longer releases it.
                    added += received.TryAdd(message.MessageId, message) ? 1 : 0;
                    received[message.MessageId] = message;
                }

                if (added == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            await ReleaseAsync(dlqUrl, received.Values.ToList()).ConfigureAwait(false);
        }

        return received.Values.Select(Describe).ToList();
    }

    /// <summary>Makes the peeked messages visible again at once, in batches; runs even when the peek was cancelled.</summary>
    private async Task ReleaseAsync(string dlqUrl, List<ReceivedMessage> messages)
    {
        foreach (var chunk in messages.Chunk(MaxPerReceive))
        {
            var entries = chunk.Select((m, i) => new VisibilityChangeEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle, TimeSpan.Zero)).ToList();
            try
            {
                var result = await sqs.ChangeMessageVisibilityBatchAsync(dlqUrl, entries, CancellationToken.None).ConfigureAwait(false);
                foreach (var failure in result.Failed)
                {
                    Log.PeekReleaseFailed(logger, failure.Code, failure.Message, options.PeekVisibilityTimeout.TotalSeconds);
                }
            }
            catch (TaskQueueException ex)
            {
                Log.PeekReleaseFailed(logger, ex.GetType().Name, ex.Message, options.PeekVisibilityTimeout.TotalSeconds);
            }
        }
    }

    private static DeadLetterMessage Describe(ReceivedMessage message)
    {
        var isTask = TaskMessageParser.TryParse(message.Body, out var task, out var poisonReason);
        return new DeadLetterMessage(
            message.MessageId,
            message.ReceiptHandle,
            task?.EntityId ?? message.Attributes.GetValueOrDefault(WireFormat.EntityId),
            task?.TaskName ?? message.Attributes.GetValueOrDefault(WireFormat.TaskName),
            message.ReceiveCount,
            task?.EnqueuedAt,
            message.MessageGroupId,
            message.Body,
            isTask ? null : poisonReason);
    }
}
