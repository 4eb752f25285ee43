using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>Splits messages into SendMessageBatch calls: at most 10 entries and 1 MiB of payload each.</summary>
internal static class BatchPlanner
{
    /// <summary>Most entries SQS takes in one batch call.</summary>
    public const int MaxEntries = SqsLimits.MaxBatchEntries;

    /// <summary>Most payload bytes SQS takes in one batch call, all entries together.</summary>
    public const int MaxPayloadBytes = SqsLimits.MaxBatchPayloadBytes;

    /// <summary>Groups <paramref name="messages"/> in order into batches within SQS's limits.</summary>
    /// <param name="messages">Messages with their sizes, each at most <see cref="MaxPayloadBytes"/>.</param>
    /// <returns>The batches, each a list of indexes into <paramref name="messages"/>.</returns>
    public static List<List<int>> Plan(IReadOnlyList<(OutgoingMessage Message, int Size)> messages)
    {
        var batches = new List<List<int>>();
        var current = new List<int>(MaxEntries);
        var currentBytes = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var size = messages[i].Size;
            if (current.Count == MaxEntries || (current.Count > 0 && currentBytes + size > MaxPayloadBytes))
            {
                batches.Add(current);
                current = new List<int>(MaxEntries);
                currentBytes = 0;
            }

            current.Add(i);
            currentBytes += size;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    /// <summary>The size SQS counts for a message: body plus each attribute's name, type and value, in UTF-8 bytes.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Its size in bytes.</returns>
    public static int MessageSize(OutgoingMessage message) => System.Text.Encoding.UTF8.GetByteCount(message.Body) + AttributesSize(message.Attributes);

    /// <summary>The size SQS counts for a message's attributes: each one's name, data type and value, in UTF-8 bytes.</summary>
    /// <param name="attributes">The attributes, or null.</param>
    /// <returns>Their size in bytes.</returns>
    public static int AttributesSize(IReadOnlyDictionary<string, string>? attributes)
    {
        var size = 0;
        foreach (var (name, value) in attributes ?? EmptyAttributes)
        {
            size += System.Text.Encoding.UTF8.GetByteCount(name) + MessageAttributeTypes.Of(name).Length + System.Text.Encoding.UTF8.GetByteCount(value);
        }

        return size;
    }

    private static readonly Dictionary<string, string> EmptyAttributes = [];
}
