using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

/// <summary>Configs and metadata given as JSON values: the overloads that need no reflection (trimming, Native AOT).</summary>
public class EnqueueJsonValueTests
{
    private readonly List<IReadOnlyList<OutgoingMessage>> _batches = [];

    [Fact]
    public async Task EnqueueTasks_JsonNodeConfigAndJsonElementMetadata_AreSentAsTheyAreAndUnescaped()
    {
        var handler = new TaskQueueHandler(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options());
        var config = new JsonObject { ["language"] = "français", ["pages"] = new JsonArray(1, 2) };
        using var metadata = JsonDocument.Parse("""{"tenant": "ålesund"}""");

        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", config)], metadata.RootElement);

        var body = _batches.Single().Single().Body;
        body.Should().Contain("\"task_config\":{\"language\":\"français\",\"pages\":[1,2]}");
        body.Should().Contain("\"metadata\":{\"tenant\":\"ålesund\"}");
    }

    [Fact]
    public async Task EnqueueTasks_NullJsonNodeConfigAndNoMetadata_AreSentAsEmptyObjects()
    {
        var handler = new TaskQueueHandler(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options());

        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", (JsonNode?)null), new TaskSpec("classify")]);

        _batches.Single().Select(m => m.Body).Should().AllSatisfy(body => body.Should().Contain("\"task_config\":{},\"metadata\":{}"));
    }

    [Fact]
    public async Task EnqueueTasks_JsonElementConfigThatIsNotAnObject_ThrowsNamingTheTask()
    {
        var handler = new TaskQueueHandler(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options());
        using var array = JsonDocument.Parse("[1, 2]");

        var act = () => handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", array.RootElement)]);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("task_config of task 'ocr' must serialize to a JSON object*");
        _batches.Should().BeEmpty();
    }
}
