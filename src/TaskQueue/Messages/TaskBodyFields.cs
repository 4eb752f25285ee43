using System.Text;
using System.Text.Json;

namespace TaskQueue;

/// <summary>
/// Where the task fields of a body's top-level object lie, found by reading the body once: the parser then reads each
/// field from its own bytes, so unknown fields allocate nothing and config and metadata are parsed alone, without a
/// document of the whole body. A field given twice counts by its last value, as <c>JsonElement.TryGetProperty</c>
/// finds it.
/// </summary>
internal struct TaskBodyFields
{
    /// <summary>The reader's limits, those a <see cref="JsonDocument"/> of the body would have.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = WireFormat.MaxDepth };

    private static readonly byte[][] Names =
    [
        .. new[]
        {
            WireFormat.EntityId, WireFormat.TaskName, WireFormat.TaskConfig, WireFormat.Metadata,
            WireFormat.Timestamp, WireFormat.TotalTasks, WireFormat.RetryCount, WireFormat.BatchId,
        }.Select(Encoding.UTF8.GetBytes),
    ];

    public BodyField EntityId { get; private set; }

    public BodyField TaskName { get; private set; }

    public BodyField TaskConfig { get; private set; }

    public BodyField Metadata { get; private set; }

    public BodyField Timestamp { get; private set; }

    public BodyField TotalTasks { get; private set; }

    public BodyField RetryCount { get; private set; }

    public BodyField BatchId { get; private set; }

    /// <summary>Reads the whole body: the kind of its root value and, when that is an object, where its task fields lie.</summary>
    /// <param name="utf8Body">The body.</param>
    /// <param name="fields">Where the fields lie; all absent when the root is not an object.</param>
    /// <returns>The kind of the root value.</returns>
    /// <exception cref="JsonException">The body is not one valid JSON value, or nests deeper than <see cref="WireFormat.MaxDepth"/>.</exception>
    public static JsonValueKind Scan(ReadOnlySpan<byte> utf8Body, out TaskBodyFields fields)
    {
        fields = default;
        var reader = new Utf8JsonReader(utf8Body, ReaderOptions);
        reader.Read();
        var root = KindOf(reader.TokenType);
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = IndexOfName(ref reader);
                reader.Read();
                fields.Set(name, BodyField.Read(ref reader));
            }
        }
        else
        {
            reader.Skip();
        }

        // A second value or stray text after the first makes the body invalid, as it does for JsonDocument.Parse.
        reader.Read();
        return root;
    }

    /// <summary>The kind of value a token starts.</summary>
    public static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        JsonTokenType.Null => JsonValueKind.Null,
        _ => JsonValueKind.Undefined,
    };

    private static int IndexOfName(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (reader.ValueTextEquals(Names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private void Set(int name, BodyField value)
    {
        switch (name)
        {
            case 0: EntityId = value; break;
            case 1: TaskName = value; break;
            case 2: TaskConfig = value; break;
            case 3: Metadata = value; break;
            case 4: Timestamp = value; break;
            case 5: TotalTasks = value; break;
            case 6: RetryCount = value; break;
            case 7: BatchId = value; break;
            default: break;
        }
    }
}

/// <summary>One field's value in a body: the token it starts with and the bytes it spans (a string's with its quotes).</summary>
/// <param name="Token">The value's first token; <see cref="JsonTokenType.None"/> when the body has no such field.</param>
/// <param name="Start">Where the value starts in the body.</param>
/// <param name="Length">How many bytes it spans.</param>
internal readonly record struct BodyField(JsonTokenType Token, int Start, int Length)
{
    /// <summary>The body has no such field, or gives it as null: either way the field is left out.</summary>
    public bool IsAbsent => Token is JsonTokenType.None or JsonTokenType.Null;

    /// <summary>Takes the value the reader is on, and moves the reader past it.</summary>
    public static BodyField Read(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        var start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        return new BodyField(token, start, checked((int)reader.BytesConsumed) - start);
    }

    /// <summary>A reader of this value alone, on its first token.</summary>
    public Utf8JsonReader ReaderIn(ReadOnlySpan<byte> utf8Body)
    {
        var reader = new Utf8JsonReader(utf8Body.Slice(Start, Length), TaskBodyFields.ReaderOptions);
        reader.Read();
        return reader;
    }
}
