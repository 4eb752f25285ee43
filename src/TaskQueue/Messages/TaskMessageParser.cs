using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace TaskQueue;

/// <summary>
/// Reads task message bodies. Anything that is not a task message (not JSON, too deep, missing or
/// mistyped fields) is reported with a reason instead of thrown: a worker must survive any body.
/// Unknown fields are ignored so newer producers do not break older workers.
/// </summary>
public static class TaskMessageParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = WireFormat.MaxDepth };

    /// <summary>Parses a body.</summary>
    /// <param name="body">The raw message body.</param>
    /// <param name="message">The task, when the body is one.</param>
    /// <param name="error">
    /// Why the body is not a task message, when it is not: the kind of error, the field or the byte position, never
    /// text of the body, so a hostile body cannot flood the logs that print it.
    /// </param>
    /// <returns>True when the body is a valid task message.</returns>
    public static bool TryParse(
        string? body,
        [NotNullWhen(true)] out TaskMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        message = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            error = "body is empty";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            // The reader's own message quotes the body (a whole invalid literal, however long): describe it instead.
            error = DescribeInvalidJson(Encoding.UTF8.GetBytes(body));
            return false;
        }

        JsonElement root;
        using (document)
        {
            // One copy of the whole body outlives the pooled document; config and metadata are views into it.
            root = document.RootElement.Clone();
        }

        return TryRead(root, out message, out error);
    }

    /// <summary>
    /// Parses a body given as UTF-8 bytes (a stored body, read whole into one array) without copying it: the task's config
    /// and metadata are views into <paramref name="utf8Body"/>, which must stay unchanged while the task is in use.
    /// </summary>
    /// <param name="utf8Body">The body.</param>
    /// <param name="message">The task, when the body is one.</param>
    /// <param name="error">Why the body is not a task message, when it is not (see the other overload).</param>
    /// <returns>True when the body is a valid task message.</returns>
    internal static bool TryParse(
        ReadOnlyMemory<byte> utf8Body,
        [NotNullWhen(true)] out TaskMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        message = null;
        if (utf8Body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = "body is empty";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Body, DocumentOptions);
        }
        catch (JsonException)
        {
            error = DescribeInvalidJson(utf8Body.Span);
            return false;
        }

        // Not disposed: disposing returns the document's row index to the pool, and the task's elements read through it.
        // Cloning instead would copy the whole body once more, which is what reading it this way avoids.
        return TryRead(document.RootElement, out message, out error);
    }

    private static bool TryRead(JsonElement root, [NotNullWhen(true)] out TaskMessage? message, [NotNullWhen(false)] out string? error)
    {
        message = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"body is a JSON {root.ValueKind}, not an object";
            return false;
        }

        if (!TryReadRequiredString(root, WireFormat.EntityId, out var entityId, out error)
            || !TryReadRequiredString(root, WireFormat.TaskName, out var taskName, out error)
            || !TryReadObject(root, WireFormat.TaskConfig, out var taskConfig, out error)
            || !TryReadObject(root, WireFormat.Metadata, out var metadata, out error)
            || !TryReadTimestamp(root, out var enqueuedAt, out error)
            || !TryReadOptionalInt(root, WireFormat.TotalTasks, out var totalTasks, out error)
            || !TryReadOptionalInt(root, WireFormat.RetryCount, out _, out error)
            || !TryReadOptionalString(root, WireFormat.BatchId, out var batchId, out error))
        {
            return false;
        }

        message = new TaskMessage(entityId, taskName, taskConfig, metadata, enqueuedAt, totalTasks) { BatchId = batchId };
        return true;
    }

    /// <summary>Reads the body again, on this failure path only, to name what is wrong with it and where.</summary>
    private static string DescribeInvalidJson(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= WireFormat.MaxDepth)
                {
                    return $"body is not valid JSON: nested deeper than {WireFormat.MaxDepth} levels at byte {reader.TokenStartIndex}";
                }
            }
        }
        catch (JsonException)
        {
            return $"body is not valid JSON: syntax error at byte {reader.BytesConsumed}";
        }

        return "body is not valid JSON";
    }

    private static bool TryReadRequiredString(JsonElement root, string name, out string value, [NotNullWhen(false)] out string? error)
    {
        value = string.Empty;
        if (!root.TryGetProperty(name, out var property))
        {
            error = $"field '{name}' is missing";
            return false;
        }

        if (property.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(property.GetString()))
        {
            error = $"field '{name}' must be a non-empty string, not {Describe(property)}";
            return false;
        }

        value = property.GetString()!;
        error = null;
        return true;
    }

    private static bool TryReadOptionalString(JsonElement root, string name, out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        return TryReadRequiredString(root, name, out value!, out error);
    }

    private static bool TryReadObject(JsonElement root, string name, out JsonElement value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (!root.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            value = EmptyObject;
            return true;
        }

        if (property.ValueKind != JsonValueKind.Object)
        {
            value = EmptyObject;
            error = $"field '{name}' must be an object, not {Describe(property)}";
            return false;
        }

        value = property;
        return true;
    }

    private static bool TryReadTimestamp(JsonElement root, out DateTimeOffset? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(WireFormat.Timestamp, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (property.ValueKind != JsonValueKind.String || !WireFormat.TryParseTimestamp(property.GetString(), out var time))
        {
            error = $"field '{WireFormat.Timestamp}' must be an ISO-8601 time string, not {Describe(property)}";
            return false;
        }

        value = time;
        return true;
    }

    private static bool TryReadOptionalInt(JsonElement root, string name, out int? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (property.ValueKind != JsonValueKind.Number || !property.TryGetInt32(out var number))
        {
            error = $"field '{name}' must be an integer, not {Describe(property)}";
            return false;
        }

        value = number;
        return true;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };

    /// <summary>An empty JSON object, for a config or metadata a body leaves out.</summary>
    internal static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();
}
