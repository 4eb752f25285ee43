using System.Globalization;
using System.Text;
using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>The per-message rules SQS applies to each entry of a SendMessageBatch call.</summary>
internal static class OutgoingMessageRules
{
    private const int MaxAttributes = 10;
    private const int MaxIdLength = 128;
    private const int MaxAttributeNameLength = 256;
    private const string StringDataType = "String";

    /// <summary>
    /// The size SQS counts against <c>MaximumMessageSize</c>: UTF-8 bytes of the body and of every attribute's
    /// name, data type (<c>String</c>) and value.
    /// </summary>
    public static long SizeOf(OutgoingMessage message)
    {
        long size = Encoding.UTF8.GetByteCount(message.Body ?? string.Empty);
        foreach (var (name, value) in message.Attributes ?? EmptyAttributes)
        {
            size += Encoding.UTF8.GetByteCount(name) + StringDataType.Length + Encoding.UTF8.GetByteCount(value ?? string.Empty);
        }

        return size;
    }

    /// <summary>Checks one entry against the queue; returns the failure SQS would report for it, or null when it is acceptable.</summary>
    public static BatchEntryFailure? Check(OutgoingMessage message, QueueConfiguration queue)
    {
        if (string.IsNullOrEmpty(message.Body))
        {
            return Fail(message, SqsErrors.MissingParameter, "The message body must not be empty.");
        }

        if (!HasOnlyAllowedCharacters(message.Body))
        {
            return Fail(message, SqsErrors.InvalidMessageContents, "The message body contains characters SQS does not allow (control characters other than tab, LF and CR, or unpaired surrogates).");
        }

        var attributeFailure = CheckAttributes(message);
        if (attributeFailure is not null)
        {
            return attributeFailure;
        }

        var size = SizeOf(message);
        if (size > queue.MaximumMessageSize)
        {
            return Fail(message, SqsErrors.InvalidParameterValue, string.Create(
                CultureInfo.InvariantCulture,
                $"The message is {size} bytes (body and attributes); the queue's MaximumMessageSize is {queue.MaximumMessageSize}."));
        }

        return queue.IsFifo ? CheckFifoIds(message, queue) : CheckStandardIds(message);
    }

    private static BatchEntryFailure? CheckAttributes(OutgoingMessage message)
    {
        var attributes = message.Attributes ?? EmptyAttributes;
        if (attributes.Count > MaxAttributes)
        {
            return Fail(message, SqsErrors.InvalidParameterValue, string.Create(
                CultureInfo.InvariantCulture, $"The message has {attributes.Count} attributes; SQS allows at most {MaxAttributes}."));
        }

        foreach (var (name, value) in attributes)
        {
            if (!IsValidAttributeName(name))
            {
                return Fail(message, SqsErrors.InvalidParameterValue, $"Message attribute name '{name}' is invalid: use up to 256 letters, digits, '-', '_' and '.', not starting with 'AWS.' or 'Amazon.'.");
            }

            if (string.IsNullOrEmpty(value) || !HasOnlyAllowedCharacters(value))
            {
                return Fail(message, SqsErrors.InvalidParameterValue, $"Message attribute '{name}' must have a non-empty value of allowed characters.");
            }
        }

        return null;
    }

    private static BatchEntryFailure? CheckFifoIds(OutgoingMessage message, QueueConfiguration queue)
    {
        if (message.MessageGroupId is null)
        {
            return Fail(message, SqsErrors.MissingParameter, "The request must contain the parameter MessageGroupId: FIFO queues need a message group.");
        }

        if (!IsValidSqsId(message.MessageGroupId))
        {
            return Fail(message, SqsErrors.InvalidParameterValue, $"MessageGroupId '{message.MessageGroupId}' is invalid: use 1 to 128 printable ASCII characters without spaces.");
        }

        if (message.MessageDeduplicationId is null)
        {
            return queue.ContentBasedDeduplication
                ? null
                : Fail(message, SqsErrors.InvalidParameterValue, "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly.");
        }

        return IsValidSqsId(message.MessageDeduplicationId)
            ? null
            : Fail(message, SqsErrors.InvalidParameterValue, $"MessageDeduplicationId '{message.MessageDeduplicationId}' is invalid: use 1 to 128 printable ASCII characters without spaces.");
    }

    private static BatchEntryFailure? CheckStandardIds(OutgoingMessage message)
    {
        if (message.MessageDeduplicationId is not null)
        {
            return Fail(message, SqsErrors.InvalidParameterValue, "MessageDeduplicationId is supported only on FIFO queues.");
        }

        return message.MessageGroupId is null || IsValidSqsId(message.MessageGroupId)
            ? null
            : Fail(message, SqsErrors.InvalidParameterValue, $"MessageGroupId '{message.MessageGroupId}' is invalid: use 1 to 128 printable ASCII characters without spaces.");
    }

    /// <summary>Group and deduplication ids: 1 to 128 of letters, digits and ASCII punctuation.</summary>
    private static bool IsValidSqsId(string id) =>
        id.Length is > 0 and <= MaxIdLength && id.All(c => c is >= '!' and <= '~');

    private static bool IsValidAttributeName(string name) =>
        name.Length is > 0 and <= MaxAttributeNameLength
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
        && !name.StartsWith('.') && !name.EndsWith('.')
        && !name.Contains("..", StringComparison.Ordinal)
        && !name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase);

    /// <summary>SQS allows #x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD and #x10000 to #x10FFFF.</summary>
    private static bool HasOnlyAllowedCharacters(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c) || (c < ' ' && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF')
            {
                return false;
            }
        }

        return true;
    }

    private static BatchEntryFailure Fail(OutgoingMessage message, string code, string text) =>
        new(message.Id, code, text, SenderFault: true);

    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();
}
