using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.SQS.Model;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// A task body as a hand-written consumer reads it: the wire format's fields, deserialized by System.Text.Json's source
/// generator (the config and metadata kept as JSON for the handler).
/// </summary>
internal sealed record WireTask(
    [property: JsonPropertyName("entity_id")] string EntityId,
    [property: JsonPropertyName("task_name")] string TaskName,
    [property: JsonPropertyName("task_config")] JsonElement TaskConfig,
    [property: JsonPropertyName("metadata")] JsonElement Metadata,
    [property: JsonPropertyName("timestamp")] string? Timestamp,
    [property: JsonPropertyName("retry_count")] int RetryCount,
    [property: JsonPropertyName("total_tasks")] int? TotalTasks,
    [property: JsonPropertyName("batch_id")] string? BatchId)
{
    /// <summary>Reads one message's task, receive count and group; returns a number made of them, for the caller to keep.</summary>
    public static long Read(Message message)
    {
        var task = JsonSerializer.Deserialize(message.Body, WireTaskJson.Default.WireTask)
            ?? throw new InvalidOperationException($"message {message.MessageId} has no task");
        var receives = message.Attributes is { } system && system.TryGetValue(SystemAttributeNames.ApproximateReceiveCount, out var count)
            ? int.Parse(count, CultureInfo.InvariantCulture)
            : 0;
        var group = message.Attributes?.GetValueOrDefault(SystemAttributeNames.MessageGroupId);
        return task.EntityId.Length + task.TaskName.Length + receives + (group?.Length ?? 0);
    }
}

/// <summary>The source-generated serializer of <see cref="WireTask"/>.</summary>
[JsonSerializable(typeof(WireTask))]
internal sealed partial class WireTaskJson : JsonSerializerContext;
