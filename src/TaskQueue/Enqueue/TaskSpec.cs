using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;

namespace TaskQueue;

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

    /// <summary>A task whose config is serialized now with source-generated JSON metadata, e.g. <c>MyJsonContext.Default.OcrConfig</c>.</summary>
    /// <typeparam name="TConfig">The config type; a handler registered with the same type reads it back.</typeparam>
    /// <param name="taskName">The task's name.</param>
    /// <param name="config">The config; it must serialize to a JSON object.</param>
    /// <param name="configType">The config type's JSON metadata.</param>
    /// <returns>The task, its config held as a <see cref="JsonElement"/>.</returns>
    public static TaskSpec Create<TConfig>(string taskName, TConfig config, JsonTypeInfo<TConfig> configType)
    {
        ArgumentNullException.ThrowIfNull(configType);
        return new(taskName, JsonSerializer.SerializeToElement(config, configType));
    }

    /// <summary>A task whose config is serialized now with the metadata of a source-generated <see cref="JsonSerializerContext"/>.</summary>
    /// <typeparam name="TConfig">The config type.</typeparam>
    /// <param name="taskName">The task's name.</param>
    /// <param name="config">The config; it must serialize to a JSON object.</param>
    /// <param name="context">A context with <c>[JsonSerializable(typeof(TConfig))]</c>.</param>
    /// <returns>The task, its config held as a <see cref="JsonElement"/>.</returns>
    /// <exception cref="ArgumentException">The context has no metadata for <typeparamref name="TConfig"/>.</exception>
    public static TaskSpec Create<TConfig>(string taskName, TConfig config, JsonSerializerContext context) =>
        Create(taskName, config, TaskConfigBinding.TypeInfo<TConfig>(context));

    /// <summary>A task whose config is serialized now with reflection-based JSON and System.Text.Json's default options.</summary>
    /// <typeparam name="TConfig">The config type.</typeparam>
    /// <param name="taskName">The task's name.</param>
    /// <param name="config">The config; it must serialize to a JSON object.</param>
    /// <returns>The task, its config held as a <see cref="JsonElement"/>.</returns>
    [RequiresUnreferencedCode("Reflection-based JSON may need types the trimmer removes: pass a JsonTypeInfo or JsonSerializerContext instead.")]
    [RequiresDynamicCode("Reflection-based JSON generates code at run time: pass a JsonTypeInfo or JsonSerializerContext instead.")]
    public static TaskSpec Create<TConfig>(string taskName, TConfig config) =>
        Create(taskName, config, TaskConfigBinding.ReflectionTypeInfo<TConfig>());
}
