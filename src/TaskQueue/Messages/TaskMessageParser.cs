using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TaskQueue;

/// <summary>
/// Reads task message bodies. Anything that is not a task message (not JSON, too deep, missing or
/// mistyped fields) is reported with a reason instead of thrown: a worker must survive any body.
/// Unknown fields are ignored so newer producers do not break older workers.
/// </summary>
public static class TaskMessageParser
{
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
        [NotNullWhen(false)] out string? error) =>
        TryReadUtf16(body, TryReadCopying, out message, out error);

    /// <summary>
    /// Reads only the task name of a body, by the rules <see cref="TryParse(string?, out TaskMessage?, out string?)"/> reads
    /// it with (the whole body valid JSON, a field given twice counted by its last value, escapes decoded, a non-empty
    /// string of valid Unicode), without reading the other fields: for a look at the name before the task runs.
    /// </summary>
    /// <param name="body">The raw message body.</param>
    /// <param name="taskName">The task name, when the body gives one.</param>
    /// <returns>
    /// True when the body names a task. A body that names one may still fail <see cref="TryParse(string?, out TaskMessage?, out string?)"/>
    /// on another field.
    /// </returns>
    internal static bool TryReadTaskName(string? body, [NotNullWhen(true)] out string? taskName) =>
        TryReadUtf16(body, TryReadTaskName, out taskName, out _);

    /// <summary>Reads a body given as text with <paramref name="read"/>, over its UTF-8 bytes in a pooled buffer, cleared after.</summary>
    private static bool TryReadUtf16<T>(
        string? body,
        Utf8BodyReader<T> read,
        [NotNullWhen(true)] out T? value,
        [NotNullWhen(false)] out string? error)
        where T : class
    {
        value = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            error = "body is empty";
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(body));
        var length = 0;
        try
        {
            if (Utf8.FromUtf16(body, buffer, out var read16, out length, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                error = $"body is not valid JSON: unpaired surrogate at character {read16}";
                return false;
            }

            return read(buffer.AsMemory(0, length), out value, out error);
        }
        finally
        {
            // The next renter of the buffer must not find a tenant's task in it.
            buffer.AsSpan(0, length).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
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

        return TryRead(utf8Body, copyObjects: false, out message, out error);
    }

    /// <summary>Reads the task in a pooled buffer: the task outlives the buffer, so its config and metadata get bytes of their own.</summary>
    private static bool TryReadCopying(ReadOnlyMemory<byte> utf8Body, [NotNullWhen(true)] out TaskMessage? message, [NotNullWhen(false)] out string? error) =>
        TryRead(utf8Body, copyObjects: true, out message, out error);

    /// <summary>Reads the task in a body, or why there is none: invalid JSON first, then the fields in their wire order.</summary>
    /// <param name="utf8Body">The body.</param>
    /// <param name="copyObjects">
    /// Whether config and metadata are copied out of <paramref name="utf8Body"/> (which is then free to change once this
    /// returns) or read in place.
    /// </param>
    /// <param name="message">The task, when the body is one.</param>
    /// <param name="error">Why the body is not a task message, when it is not.</param>
    private static bool TryRead(
        ReadOnlyMemory<byte> utf8Body,
        bool copyObjects,
        [NotNullWhen(true)] out TaskMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        message = null;
        var body = utf8Body.Span;
        if (!TryScan(body, out var fields, out error)
            || !TryReadRequiredString(body, fields.EntityId, WireFormat.EntityId, out var entityId, out error)
            || !TryReadRequiredString(body, fields.TaskName, WireFormat.TaskName, out var taskName, out error)
            || !IsObjectOrAbsent(fields.TaskConfig, WireFormat.TaskConfig, out error)
            || !IsObjectOrAbsent(fields.Metadata, WireFormat.Metadata, out error)
            || !TryReadTimestamp(body, fields.Timestamp, out var enqueuedAt, out error)
            || !TryReadOptionalInt(body, fields.TotalTasks, WireFormat.TotalTasks, out var totalTasks, out error)
            || !TryReadOptionalInt(body, fields.RetryCount, WireFormat.RetryCount, out _, out error)
            || !TryReadOptionalString(body, fields.BatchId, WireFormat.BatchId, out var batchId, out error))
        {
            return false;
        }

        message = copyObjects
            ? new TaskMessage(entityId, taskName, DeferredTaskObjects.CopyOf(body, fields.TaskConfig, fields.Metadata), enqueuedAt, totalTasks) { BatchId = batchId }
            : new TaskMessage(
                entityId, taskName, TaskBodyObjects.View(utf8Body, fields.TaskConfig), TaskBodyObjects.View(utf8Body, fields.Metadata), enqueuedAt, totalTasks)
            { BatchId = batchId };
        return true;
    }

    /// <summary>The task name of a body, read as <see cref="TryRead"/> reads it, the other fields left unread.</summary>
    private static bool TryReadTaskName(ReadOnlyMemory<byte> utf8Body, [NotNullWhen(true)] out string? taskName, [NotNullWhen(false)] out string? error)
    {
        taskName = null;
        var body = utf8Body.Span;
        if (!TryScan(body, out var fields, out error) || !TryReadRequiredString(body, fields.TaskName, WireFormat.TaskName, out var name, out error))
        {
            return false;
        }

        taskName = name;
        return true;
    }

    /// <summary>Reads the whole body once for where its fields lie; fails when it is not one valid JSON object.</summary>
    private static bool TryScan(ReadOnlySpan<byte> body, out TaskBodyFields fields, [NotNullWhen(false)] out string? error)
    {
        JsonValueKind root;
        try
        {
            root = TaskBodyFields.Scan(body, out fields);
        }
        catch (JsonException)
        {
            // The reader's own message quotes the body (a whole invalid literal, however long): describe it instead.
            fields = default;
            error = DescribeInvalidJson(body);
            return false;
        }

        error = root == JsonValueKind.Object ? null : $"body is a JSON {root}, not an object";
        return error is null;
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

    private static bool TryReadRequiredString(ReadOnlySpan<byte> body, BodyField field, string name, out string value, [NotNullWhen(false)] out string? error)
    {
        value = string.Empty;
        if (field.Token == JsonTokenType.None)
        {
            error = $"field '{name}' is missing";
            return false;
        }

        // Two bytes are the quotes of an empty string: an escape always stands for at least one character.
        if (field.Token != JsonTokenType.String || field.Length == 2)
        {
            error = $"field '{name}' must be a non-empty string, not {Describe(field)}";
            return false;
        }

        try
        {
            value = field.ReaderIn(body).GetString()!;
        }
        catch (InvalidOperationException)
        {
            // JSON lets an escape stand for half a surrogate pair, which no string holds; a stored body may hold any bytes.
            error = $"field '{name}' must be valid Unicode text, not a string with an unpaired surrogate or invalid UTF-8";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryReadOptionalString(ReadOnlySpan<byte> body, BodyField field, string name, out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        return field.IsAbsent || TryReadRequiredString(body, field, name, out value!, out error);
    }

    private static bool IsObjectOrAbsent(BodyField field, string name, [NotNullWhen(false)] out string? error)
    {
        error = field.IsAbsent || field.Token == JsonTokenType.StartObject ? null : $"field '{name}' must be an object, not {Describe(field)}";
        return error is null;
    }

    private static bool TryReadTimestamp(ReadOnlySpan<byte> body, BodyField field, out DateTimeOffset? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (field.IsAbsent)
        {
            return true;
        }

        if (field.Token != JsonTokenType.String || !TryParseTimestamp(field.ReaderIn(body), out var time))
        {
            error = $"field '{WireFormat.Timestamp}' must be an ISO-8601 time string, not {Describe(field)}";
            return false;
        }

        value = time;
        return true;
    }

    /// <summary>Parses the string the reader is on without making a string of it: a timestamp fits on the stack.</summary>
    private static bool TryParseTimestamp(Utf8JsonReader reader, out DateTimeOffset time)
    {
        const int StackChars = 64;

        // No more characters than bytes: an escape is longer than what it stands for, and a UTF-8 sequence than its UTF-16.
        var text = reader.ValueSpan.Length <= StackChars ? stackalloc char[StackChars] : new char[reader.ValueSpan.Length];
        int length;
        try
        {
            length = reader.CopyString(text);
        }
        catch (InvalidOperationException)
        {
            // Not text (half a surrogate pair, invalid UTF-8), so no time either.
            time = default;
            return false;
        }

        return WireFormat.TryParseTimestamp(text[..length], out time);
    }

    private static bool TryReadOptionalInt(ReadOnlySpan<byte> body, BodyField field, string name, out int? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (field.IsAbsent)
        {
            return true;
        }

        var number = 0;
        if (field.Token != JsonTokenType.Number || !field.ReaderIn(body).TryGetInt32(out number))
        {
            error = $"field '{name}' must be an integer, not {Describe(field)}";
            return false;
        }

        value = number;
        return true;
    }

    private static string Describe(BodyField field) => TaskBodyFields.KindOf(field.Token) switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        var kind => kind.ToString(),
    };

    /// <summary>A read of a body's UTF-8 bytes: a value, or why there is none.</summary>
    private delegate bool Utf8BodyReader<T>(ReadOnlyMemory<byte> utf8Body, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? error)
        where T : class;

    /// <summary>An empty JSON object, for a config or metadata a body leaves out.</summary>
    internal static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();
}
