using System.Buffers;
using System.Text.Json;

namespace TaskQueue;

/// <summary>
/// Makes a task's config and metadata elements from their bytes in a body: copies that live as long as the task, or views
/// into a body that does. <c>{}</c> and a left-out object share one empty element.
/// </summary>
internal static class TaskBodyObjects
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = WireFormat.MaxDepth };

    /// <summary>Pairs up to this size are put together on the stack.</summary>
    private const int StackPairBytes = 512;

    /// <summary>
    /// Copies both objects out of <paramref name="body"/>, which is free to change afterwards. Each copy is a document
    /// that owns its bytes and is not pooled, so nothing must be disposed; when both objects have members, they share one
    /// document, <c>[config,metadata]</c>, which costs one document's overhead instead of two.
    /// </summary>
    public static (JsonElement Config, JsonElement Metadata) Copy(ReadOnlySpan<byte> body, BodyField config, BodyField metadata)
    {
        var configBytes = MembersOf(body, config);
        var metadataBytes = MembersOf(body, metadata);
        if (configBytes.IsEmpty || metadataBytes.IsEmpty)
        {
            return (configBytes.IsEmpty ? TaskMessageParser.EmptyObject : CopyOf(configBytes), metadataBytes.IsEmpty ? TaskMessageParser.EmptyObject : CopyOf(metadataBytes));
        }

        var length = configBytes.Length + metadataBytes.Length + 3;
        var rented = length <= StackPairBytes ? null : ArrayPool<byte>.Shared.Rent(length);
        var pair = (rented is null ? stackalloc byte[StackPairBytes] : rented)[..length];
        try
        {
            pair[0] = (byte)'[';
            configBytes.CopyTo(pair[1..]);
            pair[configBytes.Length + 1] = (byte)',';
            metadataBytes.CopyTo(pair[(configBytes.Length + 2)..]);
            pair[^1] = (byte)']';
            var both = CopyOf(pair);
            return (both[0], both[1]);
        }
        finally
        {
            if (rented is not null)
            {
                // The next renter of the buffer must not find a tenant's task in it.
                pair.Clear();
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// A view of the object in <paramref name="body"/>, not a copy (a stored body can be many megabytes), so the body
    /// must stay unchanged while the element is in use.
    /// </summary>
    public static JsonElement View(ReadOnlyMemory<byte> body, BodyField field)
    {
        if (MembersOf(body.Span, field).IsEmpty)
        {
            return TaskMessageParser.EmptyObject;
        }

        // Not disposed: disposing returns the document's row index to the pool, and the task's element reads through it.
        return JsonDocument.Parse(body.Slice(field.Start, field.Length), DocumentOptions).RootElement;
    }

    /// <summary>The object's bytes; none when it is left out or written <c>{}</c>, the common case an empty element stands for.</summary>
    public static ReadOnlySpan<byte> MembersOf(ReadOnlySpan<byte> body, BodyField field)
    {
        if (field.IsAbsent)
        {
            return default;
        }

        var bytes = body.Slice(field.Start, field.Length);
        return bytes.SequenceEqual("{}"u8) ? default : bytes;
    }

    private static JsonElement CopyOf(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value, TaskBodyFields.ReaderOptions);
        return JsonElement.ParseValue(ref reader);
    }
}
