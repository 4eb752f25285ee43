using System.Globalization;
using System.Text;

namespace TaskQueue.Testing;

/// <summary>Deterministic message ids and receipt handles, unique within one in-memory client.</summary>
internal sealed class IdGenerator
{
    private long _messages;
    private long _receipts;

    /// <summary>A GUID-shaped message id, like the ones SQS assigns.</summary>
    public string NextMessageId() =>
        string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{Interlocked.Increment(ref _messages):x12}");

    /// <summary>An opaque handle naming the queue, the message and the receive.</summary>
    public string NextReceiptHandle(string queueName, string messageId)
    {
        var receipt = Interlocked.Increment(ref _receipts);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{queueName}/{messageId}/{receipt}")));
    }
}
