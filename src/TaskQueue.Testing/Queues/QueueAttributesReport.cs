using System.Globalization;
using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>Builds the GetQueueAttributes answer of one queue: message counts, configured attributes, ARN and timestamps.</summary>
internal static class QueueAttributesReport
{
    private const string CreatedTimestamp = "CreatedTimestamp";
    private const string LastModifiedTimestamp = "LastModifiedTimestamp";

    /// <summary>Names SQS knows; asking for one the queue does not have (e.g. RedrivePolicy when unset) returns nothing for it.</summary>
    private static readonly HashSet<string> KnownNames = new(StringComparer.Ordinal)
    {
        QueueAttributeNames.ApproximateNumberOfMessages, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible,
        QueueAttributeNames.ApproximateNumberOfMessagesDelayed, QueueAttributeNames.QueueArn, QueueAttributeNames.FifoQueue,
        QueueAttributeNames.ContentBasedDeduplication, QueueAttributeNames.VisibilityTimeout, QueueAttributeNames.MessageRetentionPeriod,
        QueueAttributeNames.MaximumMessageSize, QueueAttributeNames.DelaySeconds, QueueAttributeNames.ReceiveMessageWaitTimeSeconds,
        QueueAttributeNames.RedrivePolicy, CreatedTimestamp, LastModifiedTimestamp, "Policy", "KmsMasterKeyId",
        "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit", "RedriveAllowPolicy",
    };

    /// <exception cref="SqsRequestException">A name SQS does not know.</exception>
    public static Dictionary<string, string> Build(InMemoryQueue queue, IReadOnlyList<string> names, DateTimeOffset now)
    {
        foreach (var name in names)
        {
            if (name != QueueAttributeNames.All && !KnownNames.Contains(name))
            {
                throw SqsErrors.Request(SqsErrors.InvalidAttributeName, $"Unknown queue attribute '{name}': use a QueueAttributeNames constant or All.");
            }
        }

        var all = Everything(queue, now);
        if (names.Contains(QueueAttributeNames.All))
        {
            return all;
        }

        return all.Where(pair => names.Contains(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
    }

    private static Dictionary<string, string> Everything(InMemoryQueue queue, DateTimeOffset now)
    {
        var (available, inFlight, delayed) = queue.Count(now);
        var attributes = queue.Configuration.ToAttributes();
        attributes[QueueAttributeNames.ApproximateNumberOfMessages] = Text(available);
        attributes[QueueAttributeNames.ApproximateNumberOfMessagesNotVisible] = Text(inFlight);
        attributes[QueueAttributeNames.ApproximateNumberOfMessagesDelayed] = Text(delayed);
        attributes[QueueAttributeNames.QueueArn] = queue.Arn;
        attributes[CreatedTimestamp] = Text(queue.CreatedAt.ToUnixTimeSeconds());
        attributes[LastModifiedTimestamp] = Text(queue.CreatedAt.ToUnixTimeSeconds());
        return attributes;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
