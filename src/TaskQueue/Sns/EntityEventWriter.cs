using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TaskQueue;

/// <summary>
/// Writes the entity events as UTF-8 JSON, snake_case like the task wire format, times as its timestamps
/// (<c>2026-11-23T10:15:30.123456+00:00</c>), with no reflection. Error texts are cut to
/// <see cref="MaxErrorLength"/> characters: the event is a notice, the ledger keeps the rest.
/// </summary>
internal static class EntityEventWriter
{
    /// <summary>Longest error text an event carries, in UTF-16 characters.</summary>
    public const int MaxErrorLength = 2000;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = MinimalJsonEncoder.Instance };

    /// <summary>
    /// <c>entity.completed</c>: the batch and each task's state, attempts, last error and duration; without the tasks
    /// (and with <c>"tasks_omitted": true</c>) when <paramref name="withTasks"/> is false, for a batch too large to send.
    /// </summary>
    public static string EntityCompleted(EntityBatchStatus batch, bool withTasks)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Write(SnsEntityEventPublisher.EntityCompletedType, batch.EntityId, batch.BatchId, writer =>
        {
            writer.WriteNumber("revision", batch.Revision);
            writer.WriteNumber("total_tasks", batch.TotalTasks);
            writer.WriteBoolean("all_succeeded", batch.AllSucceeded);
            WriteTime(writer, "enqueued_at", batch.EnqueuedAt);
            WriteTime(writer, "completed_at", batch.CompletedAt);
            if (!withTasks)
            {
                writer.WriteBoolean("tasks_omitted", true);
                return;
            }

            writer.WriteStartArray("tasks");
            foreach (var task in batch.Tasks)
            {
                writer.WriteStartObject();
                writer.WriteString("task_name", task.TaskName);
                writer.WriteString("state", StateName(task.State));
                writer.WriteNumber("attempts", task.Attempts);
                writer.WriteString("last_error", Cut(task.LastError));
                if (task.Duration is { } duration)
                {
                    writer.WriteNumber("duration_ms", (long)Math.Round(duration.TotalMilliseconds, MidpointRounding.AwayFromZero));
                }
                else
                {
                    writer.WriteNull("duration_ms");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary><c>task.dead_lettered</c>: the task, its batch, the attempts it took and why it was dead-lettered.</summary>
    public static string TaskDeadLettered(TaskFate fate)
    {
        ArgumentNullException.ThrowIfNull(fate);
        return Write(SnsEntityEventPublisher.TaskDeadLetteredType, fate.EntityId, fate.BatchId, writer =>
        {
            writer.WriteString("task_name", fate.TaskName);
            writer.WriteNumber("attempts", fate.Attempts);
            writer.WriteString("reason", Cut(fate.LastError));
            WriteTime(writer, "at", fate.FinishedAt);
        });
    }

    /// <summary>The state's name in events: <c>pending</c>, <c>completed</c> or <c>dead_lettered</c>.</summary>
    public static string StateName(EntityTaskState state) => state switch
    {
        EntityTaskState.Completed => "completed",
        EntityTaskState.DeadLettered => "dead_lettered",
        _ => "pending",
    };

    /// <summary>The text cut to <see cref="MaxErrorLength"/> characters plus an ellipsis, never through a surrogate pair.</summary>
    internal static string? Cut(string? text)
    {
        if (text is null || text.Length <= MaxErrorLength)
        {
            return text;
        }

        var end = char.IsHighSurrogate(text[MaxErrorLength - 1]) ? MaxErrorLength - 1 : MaxErrorLength;
        return string.Concat(text.AsSpan(0, end), "\u2026");
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, WireFormat.FormatTimestamp(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>An event object: the fields every event starts with, then its own.</summary>
    private static string Write(string type, string entityId, string batchId, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("entity_id", entityId);
            writer.WriteString("batch_id", batchId);
            fields(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
