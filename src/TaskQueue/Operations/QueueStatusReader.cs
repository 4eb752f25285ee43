using System.Globalization;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>Reads the task queue's counts and the DLQ's depth from queue attributes.</summary>
internal sealed class QueueStatusReader(ISqsClient sqs, TaskQueueOptions options, DeadLetterQueueLocator deadLetterQueue)
{
    private static readonly string[] CountAttributes =
    [
        QueueAttributeNames.ApproximateNumberOfMessages,
        QueueAttributeNames.ApproximateNumberOfMessagesNotVisible,
        QueueAttributeNames.ApproximateNumberOfMessagesDelayed,
    ];

    public async Task<QueueStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var counts = await sqs.GetQueueAttributesAsync(options.QueueUrl, CountAttributes, cancellationToken).ConfigureAwait(false);
        long? deadLetters = null;
        if (await deadLetterQueue.GetUrlAsync(cancellationToken).ConfigureAwait(false) is { } dlqUrl)
        {
            var dlqCounts = await sqs.GetQueueAttributesAsync(dlqUrl, CountAttributes, cancellationToken).ConfigureAwait(false);
            deadLetters = Count(dlqCounts, QueueAttributeNames.ApproximateNumberOfMessages)
                + Count(dlqCounts, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible);
        }

        return new QueueStatus(
            Count(counts, QueueAttributeNames.ApproximateNumberOfMessages),
            Count(counts, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible),
            Count(counts, QueueAttributeNames.ApproximateNumberOfMessagesDelayed),
            deadLetters);
    }

    private static long Count(IReadOnlyDictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            ? count
            : 0;
}
