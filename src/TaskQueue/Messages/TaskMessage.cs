using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TaskQueue;

/// <summary>A task as a worker reads it from a message body (its wire format is in the README).</summary>
/// <param name="EntityId">The parent entity, e.g. <c>doc-123</c>.</param>
/// <param name="TaskName">The task within the entity, e.g. <c>yearBuilt</c>.</param>
/// <param name="TaskConfig">The task's parameters: always a JSON object, empty when the producer sent none.</param>
/// <param name="Metadata">Metadata shared by the tasks of one enqueue: always a JSON object, empty when none.</param>
/// <param name="EnqueuedAt">When the task was enqueued, when the body says.</param>
/// <param name="TotalTasks">How many tasks the enqueue call had for the entity, when the body says.</param>
public sealed record TaskMessage(
    string EntityId,
    string TaskName,
    JsonElement TaskConfig,
    JsonElement Metadata,
    DateTimeOffset? EnqueuedAt,
    int? TotalTasks)
{
    private JsonElement _taskConfig = TaskConfig;
    private JsonElement _metadata = Metadata;

    /// <summary>Config and metadata not made into elements yet (a task read by a worker); null once given as elements.</summary>
    private DeferredTaskObjects? _deferred;

    /// <summary>A task whose config and metadata are made into elements when first read; both empty when there are none.</summary>
    internal TaskMessage(string entityId, string taskName, DeferredTaskObjects? deferred, DateTimeOffset? enqueuedAt, int? totalTasks)
        : this(entityId, taskName, TaskMessageParser.EmptyObject, TaskMessageParser.EmptyObject, enqueuedAt, totalTasks)
    {
        _deferred = deferred;
    }

    /// <summary>The task's parameters: always a JSON object, empty when the producer sent none.</summary>
    public JsonElement TaskConfig
    {
        get => _deferred?.Config ?? _taskConfig;
        init
        {
            Undefer();
            _taskConfig = value;
        }
    }

    /// <summary>Metadata shared by the tasks of one enqueue: always a JSON object, empty when none.</summary>
    public JsonElement Metadata
    {
        get => _deferred?.Metadata ?? _metadata;
        init
        {
            Undefer();
            _metadata = value;
        }
    }

    /// <summary>
    /// The enqueue call the task came from (see <see cref="EnqueueResult.BatchId"/>), when the body says: the entity
    /// ledger records the task's fate under it. Null for bodies from producers that do not write it.
    /// </summary>
    public string? BatchId { get; init; }

    /// <summary>The config bound to <typeparamref name="TConfig"/>, read from its bytes when it has not been made into an element.</summary>
    internal TConfig? DeserializeConfig<TConfig>(JsonTypeInfo<TConfig> configType) =>
        _deferred is { } deferred ? deferred.Deserialize(configType) : _taskConfig.Deserialize(configType);

    /// <summary>Before one of the two is replaced (<c>with</c>): the other one is made into its element and kept as such.</summary>
    private void Undefer()
    {
        if (_deferred is { } deferred)
        {
            _taskConfig = deferred.Config;
            _metadata = deferred.Metadata;
            _deferred = null;
        }
    }
}
