using System.Globalization;

namespace TaskQueue.Sqs;

/// <summary>A message as a receive returned it.</summary>
/// <param name="MessageId">The id SQS assigned when the message was sent.</param>
/// <param name="ReceiptHandle">The handle that deletes this receive of the message or changes its visibility.</param>
/// <param name="Body">The raw body.</param>
/// <param name="Attributes">Text message attributes by name: those the receive asked for (see <see cref="ReceiveOptions.MessageAttributes"/>).</param>
/// <param name="SystemAttributes">System attributes by name, e.g. <c>ApproximateReceiveCount</c>, <c>MessageGroupId</c>.</param>
public sealed record ReceivedMessage(
    string MessageId,
    string ReceiptHandle,
    string Body,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> SystemAttributes)
{
    /// <summary>How many times the message has been received, this receive included; 1 when the service does not say.</summary>
    public int ReceiveCount =>
        SystemAttributes.TryGetValue(SystemAttributeNames.ApproximateReceiveCount, out var text)
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            ? count
            : 1;

    /// <summary>The FIFO message group, or null on a standard queue.</summary>
    public string? MessageGroupId =>
        SystemAttributes.TryGetValue(SystemAttributeNames.MessageGroupId, out var group) ? group : null;

    /// <summary>When the message was sent, when the service says.</summary>
    public DateTimeOffset? SentTimestamp =>
        SystemAttributes.TryGetValue(SystemAttributeNames.SentTimestamp, out var text)
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var millis)
            ? DateTimeOffset.FromUnixTimeMilliseconds(millis)
            : null;
}
