using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TaskQueue.Routing;

namespace TaskQueue;

/// <summary>One task to enqueue for an entity.</summary>
/// <param name="TaskName">The task's name, unique within one enqueue call; with the entity id it forms the MessageGroupId.</param>
/// <param name="Config">
/// The task's parameters: null (sent as <c>{}</c>) or anything System.Text.Json serializes to a JSON object
/// (a dictionary, an anonymous or record type, a JsonElement or JsonObject). <see cref="Create{TConfig}(string, TConfig, JsonTypeInfo{TConfig})"/>
/// serializes a typed config with source-generated metadata, as trimmed and Native AOT applications need.
/// </param>
public sealed record TaskSpec(string TaskName, object? Config = null)
{
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
