using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TaskQueue;

/// <summary>Turns a caller's config or metadata into the JSON a task message body carries (see <see cref="TaskBodyWriter"/>).</summary>
internal static class TaskMessageWriter
{
    /// <summary>How deep a config or metadata object may nest: the body around it is one more level.</summary>
    public const int MaxValueDepth = WireFormat.MaxDepth - 1;

    // Only ever read: the body writer copies it.
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private static readonly JsonReaderOptions DepthCheck = new() { MaxDepth = MaxValueDepth };

    /// <summary>Serializes a caller's config or metadata value and checks that it is a JSON object a worker can read.</summary>
    /// <param name="value">Null, or anything System.Text.Json serializes to an object (dictionary, anonymous type, JsonElement).</param>
    /// <param name="typeInfo">The contract <paramref name="value"/> is written through (see <see cref="CallerJson"/>); null for null.</param>
    /// <param name="taskName">The task whose task_config the value is; null for the call's metadata. Names the value in errors.</param>
    /// <returns>The UTF-8 JSON of the object; <c>{}</c> for null.</returns>
    public static byte[] SerializeObject(object? value, JsonTypeInfo? typeInfo, string? taskName)
    {
        if (value is null || typeInfo is null)
        {
            return EmptyObject;
        }

        byte[] json;
        try
        {
            json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        }
        catch (ArgumentException ex)
        {
            // MinimalJsonEncoder refuses a lone surrogate in any string of the value.
            throw new ArgumentException($"{What(taskName)}: {ex.Message}", nameof(value), ex);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            // A JsonElement's escaped lone surrogate surfaces here, named only by the inner exception.
            throw new ArgumentException($"{What(taskName)} cannot be serialized to JSON: {(ex.InnerException ?? ex).Message}", nameof(value), ex);
        }

        if (json.Length == 0 || json[0] != (byte)'{')
        {
            throw new ArgumentException($"{What(taskName)} must serialize to a JSON object, not {Encoding.UTF8.GetString(json, 0, Math.Min(json.Length, 40))}.", nameof(value));
        }

        if (IsTooDeep(json))
        {
            throw new ArgumentException(
                $"{What(taskName)} nests deeper than {MaxValueDepth} levels, the most a worker reads inside a message body: flatten it or send a reference to it.",
                nameof(value));
        }

        return json;
    }

    // Built only for an error: a name per task would cost a string per task on the way of every enqueue.
    private static string What(string? taskName) => taskName is null ? WireFormat.Metadata : $"{WireFormat.TaskConfig} of task '{taskName}'";

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
