using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// The pointer message of a stored body, as the AWS Extended Clients write and read it: the body is the JSON array
/// <c>["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"...","s3Key":"..."}]</c> (Jackson's
/// typed-array form, written compact as the Java client writes it; the Python client writes the same with spaces), and
/// the <c>ExtendedPayloadSize</c> attribute (a Number) holds the stored body's size in bytes.
/// </summary>
internal static class PayloadPointer
{
    /// <summary>The class name the current Extended Clients put first in the array.</summary>
    public const string PointerClass = "software.amazon.payloadoffloading.PayloadS3Pointer";

    /// <summary>The class name the first Java Extended Client wrote; the Python client still reads it.</summary>
    public const string LegacyPointerClass = "com.amazon.sqs.javamessaging.MessageS3Pointer";

    private const string BucketField = "s3BucketName";
    private const string KeyField = "s3Key";

    /// <summary>Writes the pointer body to <paramref name="reference"/>.</summary>
    /// <param name="reference">The stored body's bucket and key.</param>
    /// <returns>The body, compact JSON.</returns>
    public static string Write(PayloadReference reference)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + reference.Key.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(PointerClass);
            writer.WriteStartObject();
            writer.WriteString(BucketField, reference.Bucket);
            writer.WriteString(KeyField, reference.Key);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a message as a pointer.</summary>
    /// <param name="message">The message as received.</param>
    /// <param name="reference">Where its body is stored, when it is a pointer.</param>
    /// <param name="error">Why a body that names a pointer class is not a usable pointer; null otherwise.</param>
    /// <returns>
    /// True when the body is a pointer (<paramref name="reference"/> set) or names a pointer class but is malformed
    /// (<paramref name="error"/> set); false when the body is no pointer at all.
    /// </returns>
    /// <remarks>
    /// The body decides, not the size attribute the Extended Clients look for: a pointer is never a task body (that is an
    /// object, this an array), so a pointer that lost its attributes on the way (a copy by another tool) is still read.
    /// </remarks>
    public static bool TryRead(ReceivedMessage message, out PayloadReference? reference, out string? error)
    {
        reference = null;
        error = null;
        if (!StartsAsArray(message.Body))
        {
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message.Body);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.GetArrayLength() == 0 || root[0].ValueKind != JsonValueKind.String || !(root[0].ValueEquals(PointerClass) || root[0].ValueEquals(LegacyPointerClass)))
            {
                return false;
            }

            if (root.GetArrayLength() != 2 || root[1].ValueKind != JsonValueKind.Object
                || !TryReadName(root[1], BucketField, out var bucket) || !TryReadName(root[1], KeyField, out var key))
            {
                error = $"body is a payload pointer without a string '{BucketField}' and '{KeyField}'";
                return true;
            }

            reference = new PayloadReference(bucket, key, SizeOf(message.Attributes));
            return true;
        }
    }

    /// <summary>The stored body's size from the pointer message's attributes, when it says.</summary>
    /// <param name="attributes">The message's attributes.</param>
    /// <returns>The size in bytes, or null.</returns>
    public static long? SizeOf(IReadOnlyDictionary<string, string> attributes) =>
        (attributes.GetValueOrDefault(MessageAttributeTypes.ExtendedPayloadSize) ?? attributes.GetValueOrDefault(MessageAttributeTypes.LegacyPayloadSize)) is { } text
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size >= 0
            ? size
            : null;

    private static bool StartsAsArray(string body)
    {
        foreach (var c in body)
        {
            if (!char.IsWhiteSpace(c))
            {
                return c == '[';
            }
        }

        return false;
    }

    private static bool TryReadName(JsonElement pointer, string field, out string value)
    {
        value = pointer.TryGetProperty(field, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString()! : string.Empty;
        return value.Length > 0;
    }
}
