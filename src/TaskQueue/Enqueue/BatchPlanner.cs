using System.Text;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>Splits messages into SendMessageBatch calls: at most 10 entries and 1 MiB of payload each.</summary>
internal static class BatchPlanner
{
    /// <summary>Most entries SQS takes in one batch call.</summary>
    public const int MaxEntries = SqsLimits.MaxBatchEntries;

    /// <summary>Most payload bytes SQS takes in one batch call, all entries together.</summary>
    public const int MaxPayloadBytes = SqsLimits.MaxBatchPayloadBytes;

    /// <summary>
    /// How many of <paramref name="pending"/>, from its start and in order, go into the next batch call: the most that
    /// fit within SQS's limits, and at least one.
    /// </summary>
    /// <param name="pending">Indexes into <paramref name="messages"/> of the messages still to send, in order.</param>
    /// <param name="messages">Messages with their sizes, each at most <see cref="MaxPayloadBytes"/>.</param>
    /// <returns>The number of entries of the next batch; 0 when nothing is pending.</returns>
    public static int NextBatchLength(ReadOnlySpan<int> pending, ReadOnlySpan<(OutgoingMessage Message, int Size)> messages)
    {
        var count = 0;
        var bytes = 0;
        while (count < pending.Length && count < MaxEntries)
        {
            var size = messages[pending[count]].Size;
            if (count > 0 && bytes + size > MaxPayloadBytes)
            {
                break;
            }

            bytes += size;
            count++;
        }

        return count;
    }

    /// <summary>The size SQS counts for a message: body plus each attribute's name, type and value, in UTF-8 bytes.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Its size in bytes.</returns>
    public static int MessageSize(OutgoingMessage message) => Encoding.UTF8.GetByteCount(message.Body) + AttributesSize(message.Attributes);

    /// <summary>The size SQS counts for a message's attributes: each one's name, data type and value, in UTF-8 bytes.</summary>
    /// <param name="attributes">The attributes, or null.</param>
    /// <returns>Their size in bytes.</returns>
    public static int AttributesSize(IReadOnlyDictionary<string, string>? attributes)
    {
        var size = 0;
        foreach (var (name, value) in attributes ?? EmptyAttributes)
        {
            size += AttributeSize(name, value);
        }

        return size;
    }

    /// <summary>The size SQS counts for one attribute: its name, data type and value, in UTF-8 bytes.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>Its size in bytes.</returns>
    public static int AttributeSize(string name, string value) =>
        Encoding.UTF8.GetByteCount(name) + MessageAttributeTypes.Of(name).Length + Encoding.UTF8.GetByteCount(value);

    private static readonly Dictionary<string, string> EmptyAttributes = [];
}
