using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace TaskQueue;

/// <summary>
/// How a caller's config or metadata value becomes JSON: JSON values need no reflection (so they work under
/// trimming and Native AOT); any other object is serialized by reflection, which only annotated APIs reach.
/// </summary>
internal static partial class CallerJson
{
    private static readonly ValuesContext Context = new(new JsonSerializerOptions { Encoder = MinimalJsonEncoder.Instance });

    /// <summary>Writes a <see cref="JsonElement"/> as it is.</summary>
    public static JsonTypeInfo Element => Context.JsonElement;

    /// <summary>Writes a <see cref="JsonNode"/> as it is.</summary>
    public static JsonTypeInfo Node => Context.JsonNode;

    /// <summary>The reflection-based contract of <paramref name="value"/>'s runtime type; null for null.</summary>
    [RequiresUnreferencedCode(ReflectionWarning)]
    [RequiresDynamicCode(ReflectionWarning)]
    public static JsonTypeInfo? ByReflection(object? value) =>
        value is null ? null : ReflectionOptions.Value.GetTypeInfo(value.GetType());

    /// <summary>What a caller of a reflection-based overload is told by the trim and AOT analyzers.</summary>
    public const string ReflectionWarning =
        "Serializes an object of any type by reflection, which trimming and Native AOT cannot see: pass a JsonElement or JsonNode instead.";

    [RequiresUnreferencedCode(ReflectionWarning)]
    [RequiresDynamicCode(ReflectionWarning)]
    private static class ReflectionOptions
    {
        public static readonly JsonSerializerOptions Value = new()
        {
            Encoder = MinimalJsonEncoder.Instance,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
    }

    [JsonSerializable(typeof(JsonElement))]
    [JsonSerializable(typeof(JsonNode))]
    private sealed partial class ValuesContext : JsonSerializerContext;
}
