using System.Buffers;
using System.Text.Json;

namespace TaskQueue;

/// <summary>
/// Writes task message bodies in the wire format (see <see cref="WireFormat"/>): UTF-8, unescaped but for what must be
/// (see <see cref="MinimalJsonEncoder"/>). One buffer and one JSON writer serve every task of an enqueue call, and the
/// next call on the same thread: a body is turned into its message's string at once, so the bytes need not outlive it.
/// </summary>
internal sealed class TaskBodyWriter : IDisposable
{
    // A writer that grew for a large body is left to the collector rather than held by its thread for good.
    private const int MaxKeptCapacity = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = MinimalJsonEncoder.Instance };

    // The field names are plain ASCII: encoded once, they are copied into each body as they are.
    private static readonly JsonEncodedText EntityId = JsonEncodedText.Encode(WireFormat.EntityId);
    private static readonly JsonEncodedText TaskName = JsonEncodedText.Encode(WireFormat.TaskName);
    private static readonly JsonEncodedText TaskConfig = JsonEncodedText.Encode(WireFormat.TaskConfig);
    private static readonly JsonEncodedText Metadata = JsonEncodedText.Encode(WireFormat.Metadata);
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode(WireFormat.Timestamp);
    private static readonly JsonEncodedText RetryCount = JsonEncodedText.Encode(WireFormat.RetryCount);
    private static readonly JsonEncodedText TotalTasks = JsonEncodedText.Encode(WireFormat.TotalTasks);
    private static readonly JsonEncodedText BatchId = JsonEncodedText.Encode(WireFormat.BatchId);

    [ThreadStatic]
    private static TaskBodyWriter? t_kept;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    private TaskBodyWriter() => _json = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>The writer this thread keeps, or a new one; dispose it to give it back.</summary>
    public static TaskBodyWriter Rent()
    {
        var writer = t_kept ?? new TaskBodyWriter();
        t_kept = null;
        return writer;
    }

    /// <summary>Writes one task's body, replacing the one written before.</summary>
    /// <returns>The body as UTF-8, valid until the next write or until this writer is given back.</returns>
    public ReadOnlySpan<byte> Write(
        string entityId,
        string taskName,
        ReadOnlySpan<byte> taskConfigJson,
        ReadOnlySpan<byte> metadataJson,
        string timestamp,
        int totalTasks,
        string batchId)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString(EntityId, entityId);
        _json.WriteString(TaskName, taskName);
        _json.WritePropertyName(TaskConfig);
        _json.WriteRawValue(taskConfigJson, skipInputValidation: true);
        _json.WritePropertyName(Metadata);
        _json.WriteRawValue(metadataJson, skipInputValidation: true);
        _json.WriteString(Timestamp, timestamp);
        _json.WriteNumber(RetryCount, 0);
        _json.WriteNumber(TotalTasks, totalTasks);
        _json.WriteString(BatchId, batchId);
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    /// <summary>Gives the writer back to its thread.</summary>
    public void Dispose()
    {
        if (_buffer.Capacity <= MaxKeptCapacity)
        {
            t_kept = this;
        }
        else
        {
            _json.Dispose();
        }
    }
}
