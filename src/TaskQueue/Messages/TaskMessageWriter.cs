using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TaskQueue;

/// <summary>Writes task message bodies in the wire format (see <see cref="WireFormat"/>): UTF-8, unescaped.</summary>
internal static class TaskMessageWriter
{
    /// <summary>How deep a config or metadata object may nest: the body around it is one more level.</summary>
    public const int MaxValueDepth = WireFormat.MaxDepth - 1;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = MinimalJsonEncoder.Instance };

    private static readonly JsonReaderOptions DepthCheck = new() { MaxDepth = MaxValueDepth };

    /// <summary>Serializes a caller's config or metadata value and checks that it is a JSON object a worker can read.</summary>
    /// <param name="value">Null, or anything System.Text.Json serializes to an object (dictionary, anonymous type, JsonElement).</param>
    /// <param name="typeInfo">The contract <paramref name="value"/> is written through (see <see cref="CallerJson"/>); null for null.</param>
    /// <param name="what">Names the value in the error, e.g. "task_config of task 'x'".</param>
    /// <returns>The UTF-8 JSON of the object; <c>{}</c> for null.</returns>
    public static byte[] SerializeObject(object? value, JsonTypeInfo? typeInfo, string what)
    {
        if (value is null || typeInfo is null)
        {
            return "{}"u8.ToArray();
        }

        byte[] json;
        try
        {
            json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        }
        catch (ArgumentException ex)
        {
            // MinimalJsonEncoder refuses a lone surrogate in any string of the value.
            throw new ArgumentException($"{what}: {ex.Message}", nameof(value), ex);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            // A JsonElement's escaped lone surrogate surfaces here, named only by the inner exception.
            throw new ArgumentException($"{what} cannot be serialized to JSON: {(ex.InnerException ?? ex).Message}", nameof(value), ex);
        }

        if (json.Length == 0 || json[0] != (byte)'{')
        {
            throw new ArgumentException($"{what} must serialize to a JSON object, not {Encoding.UTF8.GetString(json, 0, Math.Min(json.Length, 40))}.", nameof(value));
        }

        if (IsTooDeep(json))
        {
            throw new ArgumentException(
                $"{what} nests deeper than {MaxValueDepth} levels, the most a worker reads inside a message body: flatten it or send a reference to it.",
                nameof(value));
        }

        return json;
    }

    /// <summary>Writes one task's body into <paramref name="buffer"/> as UTF-8, which is cleared first, so one call's tasks share one buffer.</summary>
    public static void Write(
        ArrayBufferWriter<byte> buffer,
        string entityId,
        string taskName,
        ReadOnlySpan<byte> taskConfigJson,
        ReadOnlySpan<byte> metadataJson,
        string timestamp,
        int totalTasks,
        string batchId)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(WireFormat.EntityId, entityId);
            writer.WriteString(WireFormat.TaskName, taskName);
            writer.WritePropertyName(WireFormat.TaskConfig);
            writer.WriteRawValue(taskConfigJson, skipInputValidation: true);
            writer.WritePropertyName(WireFormat.Metadata);
            writer.WriteRawValue(metadataJson, skipInputValidation: true);
            writer.WriteString(WireFormat.Timestamp, timestamp);
            writer.WriteNumber(WireFormat.RetryCount, 0);
            writer.WriteNumber(WireFormat.TotalTasks, totalTasks);
            writer.WriteString(WireFormat.BatchId, batchId);
            writer.WriteEndObject();
        }
    }

    /// <summary>A worker reads bodies at most <see cref="WireFormat.MaxDepth"/> deep: anything deeper would be sent and then found poison.</summary>
    private static bool IsTooDeep(byte[] json)
    {
        var reader = new Utf8JsonReader(json, DepthCheck);
        try
        {
            while (reader.Read())
            {
            }

            return false;
        }
        catch (JsonException)
        {
            // The serializer wrote valid JSON, so the only error the reader can find is the depth.
            return true;
        }
    }
}
