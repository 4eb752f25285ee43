using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TaskQueue;

/// <summary>
/// A task's config and metadata read from a pooled buffer: their bytes copied once, into one array, and made into
/// elements only when first read. A handler that reads neither, or binds its config to a type (read from the bytes
/// directly), costs no JSON document.
/// </summary>
internal sealed class DeferredTaskObjects
{
    private readonly byte[] _bytes;
    private readonly BodyField _config;
    private readonly BodyField _metadata;
    private Elements? _elements;

    private DeferredTaskObjects(byte[] bytes, BodyField config, BodyField metadata)
    {
        _bytes = bytes;
        _config = config;
        _metadata = metadata;
    }

    /// <summary>The config's elements, made on first read; the same ones from any thread after that.</summary>
    public JsonElement Config => Parsed().Config;

    /// <summary>The metadata's elements, made on first read.</summary>
    public JsonElement Metadata => Parsed().Metadata;

    /// <summary>
    /// Copies the two objects out of <paramref name="body"/>, which is free to change afterwards; null when both are left
    /// out or empty, which <see cref="TaskMessageParser.EmptyObject"/> stands for without a copy.
    /// </summary>
    public static DeferredTaskObjects? CopyOf(ReadOnlySpan<byte> body, BodyField config, BodyField metadata)
    {
        var configBytes = TaskBodyObjects.MembersOf(body, config);
        var metadataBytes = TaskBodyObjects.MembersOf(body, metadata);
        if (configBytes.IsEmpty && metadataBytes.IsEmpty)
        {
            return null;
        }

        var bytes = new byte[configBytes.Length + metadataBytes.Length];
        configBytes.CopyTo(bytes);
        metadataBytes.CopyTo(bytes.AsSpan(configBytes.Length));
        return new DeferredTaskObjects(
            bytes,
            configBytes.IsEmpty ? default : new BodyField(JsonTokenType.StartObject, 0, configBytes.Length),
            metadataBytes.IsEmpty ? default : new BodyField(JsonTokenType.StartObject, configBytes.Length, metadataBytes.Length));
    }

    /// <summary>
    /// The config bound to <typeparamref name="TConfig"/>: from the bytes while no element has been made (no document in
    /// between), from the element once one has, so both reads see the same value.
    /// </summary>
    public TConfig? Deserialize<TConfig>(JsonTypeInfo<TConfig> configType) =>
        Volatile.Read(ref _elements) is null
            ? JsonSerializer.Deserialize(_config.IsAbsent ? "{}"u8 : _bytes.AsSpan(_config.Start, _config.Length), configType)
            : Config.Deserialize(configType);

    private Elements Parsed()
    {
        if (Volatile.Read(ref _elements) is { } made)
        {
            return made;
        }

        var (config, metadata) = TaskBodyObjects.Copy(_bytes, _config, _metadata);

        // Two threads may both make them; one pair wins, so every reader sees the same elements.
        var elements = new Elements(config, metadata);
        return Interlocked.CompareExchange(ref _elements, elements, null) ?? elements;
    }

    private sealed record Elements(JsonElement Config, JsonElement Metadata);
}
