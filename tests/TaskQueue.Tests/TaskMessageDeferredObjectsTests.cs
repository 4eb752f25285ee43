using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FluentAssertions;

namespace TaskQueue.Tests;

/// <summary>A parsed task's config and metadata are made into elements on first read; what a caller sees is unchanged.</summary>
public class TaskMessageDeferredObjectsTests
{
    private const string Body =
        """{"entity_id":"doc-1","task_name":"ocr","task_config":{"language":"en","pages":3},"metadata":{"tenant":"acme"}}""";

    private static readonly JsonTypeInfo<OcrConfig> OcrConfigType =
        (JsonTypeInfo<OcrConfig>)JsonSerializerOptions.Web.GetTypeInfo(typeof(OcrConfig));

    private static TaskMessage Parse(string body = Body)
    {
        TaskMessageParser.TryParse(body, out var task, out var error).Should().BeTrue(error);
        return task!;
    }

    [Fact]
    public void With_ConfigReplaced_MetadataKeptAsParsed()
    {
        var replaced = Parse() with { TaskConfig = JsonDocument.Parse("""{"pages":9}""").RootElement };

        replaced.TaskConfig.GetRawText().Should().Be("""{"pages":9}""");
        replaced.Metadata.GetRawText().Should().Be("""{"tenant":"acme"}""");
    }

    [Fact]
    public void With_MetadataReplaced_ConfigKeptAsParsed()
    {
        var task = Parse();
        var replaced = task with { Metadata = JsonDocument.Parse("""{"tenant":"other"}""").RootElement };

        replaced.TaskConfig.GetRawText().Should().Be("""{"language":"en","pages":3}""");
        replaced.Metadata.GetRawText().Should().Be("""{"tenant":"other"}""");
        task.Metadata.GetRawText().Should().Be("""{"tenant":"acme"}""", "the original is not changed by its copy");
    }

    [Fact]
    public async Task TaskConfig_ReadOnManyThreadsAtOnce_EveryReaderGetsTheSameElement()
    {
        for (var round = 0; round < 200; round++)
        {
            var task = Parse();
            var seen = new ConcurrentBag<JsonElement>();
            using var start = new Barrier(4);
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    seen.Add(task.TaskConfig);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)).ToArray();
            await Task.WhenAll(readers);

            // Elements of one document at one index are equal as values; elements of two parses are not.
            seen.Distinct().Should().ContainSingle();
        }
    }

    [Fact]
    public void DeserializeConfig_BeforeAndAfterTheElementIsRead_BindsTheSameValue()
    {
        var task = Parse();

        var fromBytes = task.DeserializeConfig(OcrConfigType);
        _ = task.TaskConfig;
        var fromElement = task.DeserializeConfig(OcrConfigType);

        fromBytes.Should().Be(new OcrConfig("en", 3));
        fromElement.Should().Be(fromBytes);
    }

    [Fact]
    public void DeserializeConfig_NoConfigButMetadata_BindsAnEmptyObject()
    {
        var task = Parse("""{"entity_id":"doc-1","task_name":"ocr","metadata":{"tenant":"acme"}}""");

        task.DeserializeConfig(OcrConfigType).Should().Be(new OcrConfig(null, 0));
        task.TaskConfig.GetRawText().Should().Be("{}");
    }

    [Fact]
    public void DeserializeConfig_ConfigOfTheWrongShape_ThrowsAsTheElementDoes()
    {
        var task = Parse("""{"entity_id":"doc-1","task_name":"ocr","task_config":{"pages":"three"}}""");

        var fromBytes = () => task.DeserializeConfig(OcrConfigType);
        var fromElement = () => task.TaskConfig.Deserialize(OcrConfigType);

        fromBytes.Should().Throw<JsonException>();
        fromElement.Should().Throw<JsonException>();
    }

    /// <summary>A config a typed handler binds.</summary>
    public sealed record OcrConfig(string? Language, int Pages);
}
