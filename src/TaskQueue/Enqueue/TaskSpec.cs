using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using TaskQueue.Messages;

namespace TaskQueue.Enqueue;

/// <summary>One task to enqueue for an entity.</summary>
public sealed record TaskSpec
{
    /// <summary>A task with no parameters: its config is sent as <c>{}</c>.</summary>
    /// <param name="taskName">The task's name, unique within one enqueue call; with the entity id it forms the MessageGroupId.</param>
    public TaskSpec(string taskName)
        : this(taskName, null, null)
    {
    }

    /// <summary>A task whose parameters are a JSON object, sent as it is (no reflection: fit for trimming and Native AOT).</summary>
    /// <param name="taskName">The task's name, unique within one enqueue call; with the entity id it forms the MessageGroupId.</param>
    /// <param name="config">The task's parameters: a JSON object.</param>
    public TaskSpec(string taskName, JsonElement config)
        : this(taskName, config, CallerJson.Element)
    {
    }

    /// <summary>A task whose parameters are a JSON object, sent as it is (no reflection: fit for trimming and Native AOT).</summary>
    /// <param name="taskName">The task's name, unique within one enqueue call; with the entity id it forms the MessageGroupId.</param>
    /// <param name="config">The task's parameters: a <see cref="JsonObject"/>, or null (sent as <c>{}</c>).</param>
    public TaskSpec(string taskName, JsonNode? config)
        : this(taskName, config, config is null ? null : CallerJson.Node)
    {
    }

    /// <summary>A task whose parameters are any object System.Text.Json serializes to a JSON object, by reflection.</summary>
    /// <param name="taskName">The task's name, unique within one enqueue call; with the entity id it forms the MessageGroupId.</param>
    /// <param name="config">The task's parameters: null (sent as <c>{}</c>), a dictionary, an anonymous or record type.</param>
    [RequiresUnreferencedCode(CallerJson.ReflectionWarning)]
    [RequiresDynamicCode(CallerJson.ReflectionWarning)]
    public TaskSpec(string taskName, object? config)
        : this(taskName, config, CallerJson.ByReflection(config))
    {
    }

    /// <summary>A task whose config is written through <paramref name="configTypeInfo"/>; null config and contract mean <c>{}</c>.</summary>
    internal TaskSpec(string taskName, object? config, JsonTypeInfo? configTypeInfo)
    {
        TaskName = taskName;
        Config = config;
        ConfigTypeInfo = configTypeInfo;
    }

    /// <summary>The task's name, unique within one enqueue call; with the entity id it forms the MessageGroupId.</summary>
    public string TaskName { get; init; }

    /// <summary>The task's parameters as given; null is sent as <c>{}</c>.</summary>
    public object? Config { get; }

    /// <summary>How <see cref="Config"/> becomes JSON.</summary>
    internal JsonTypeInfo? ConfigTypeInfo { get; }
}
