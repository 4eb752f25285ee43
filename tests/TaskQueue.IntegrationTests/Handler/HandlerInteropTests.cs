using System.Text.Json;
using FluentAssertions;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Handler;

/// <summary>Interop: tasks another producer sent with a plain client, in the documented body, are processed with their values.</summary>
public abstract class HandlerInteropTests(ISqsBackend backend) : HandlerTestBase(backend)
{
    [Fact]
    public async Task ProcessOneAsync_DocumentedBodyFromPlainClient_RunsTaskWithEveryValue()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        var attributes = new Dictionary<string, string> { ["entity_id"] = "doc-9", ["task_name"] = "yearBuilt" };
        var messageId = await SendRawAsync(queues.QueueUrl, DocumentedBodies.Full, "doc-9-yearBuilt", attributes);

        var (result, task, context) = await ProcessCapturingAsync(handler);

        result.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Deleted.Should().BeTrue();
        result.MessageId.Should().Be(messageId);
        task.EntityId.Should().Be("doc-9");
        task.TaskName.Should().Be("yearBuilt");
        task.TaskConfig.GetProperty("source").GetString().Should().Be("deed");
        task.TaskConfig.GetProperty("year_hint").GetInt32().Should().Be(1901);
        task.Metadata.GetProperty("tenant").GetString().Should().Be("acme");
        task.Metadata.GetProperty("org_id").GetInt32().Should().Be(7);
        task.EnqueuedAt.Should().Be(DocumentedBodies.FullTimestamp);
        task.TotalTasks.Should().Be(3);
        context.MessageGroupId.Should().Be("doc-9-yearBuilt");
        context.ReceiveCount.Should().Be(1);
        (await handler.GetQueueStatusAsync()).Available.Should().Be(0);
    }

    [Fact]
    public async Task ProcessOneAsync_MinimalBodyFromPlainClient_RunsTaskWithDefaults()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        await SendRawAsync(queues.QueueUrl, DocumentedBodies.Minimal, "some-other-group");

        var (result, task, context) = await ProcessCapturingAsync(handler);

        result.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Deleted.Should().BeTrue();
        task.EntityId.Should().Be("doc-min");
        task.TaskName.Should().Be("ocr");
        task.TaskConfig.ValueKind.Should().Be(JsonValueKind.Object);
        task.TaskConfig.EnumerateObject().Should().BeEmpty();
        task.Metadata.ValueKind.Should().Be(JsonValueKind.Object);
        task.Metadata.EnumerateObject().Should().BeEmpty();
        task.EnqueuedAt.Should().BeNull();
        task.TotalTasks.Should().BeNull();
        context.MessageGroupId.Should().Be("some-other-group", "the group is whatever the producer chose");
    }

    [Fact]
    public async Task ProcessOneAsync_BodyWithUnknownFieldsFromPlainClient_IgnoresThemAndRunsTask()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        await SendRawAsync(queues.QueueUrl, DocumentedBodies.WithUnknownFields, "doc-new-classify");

        var (result, task, _) = await ProcessCapturingAsync(handler);

        result.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Deleted.Should().BeTrue();
        task.EntityId.Should().Be("doc-new");
        task.TaskName.Should().Be("classify");
        task.TaskConfig.GetProperty("labels").EnumerateArray().Select(e => e.GetString()).Should().Equal("a", "b");
        task.Metadata.EnumerateObject().Should().BeEmpty();
        task.TotalTasks.Should().Be(1);
        task.EnqueuedAt.Should().BeNull();
    }

    [Fact]
    public async Task ProcessOneAsync_TaskEnqueuedByHandler_RoundTripsConfigMetadataAndTimestamp()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        var before = Time.GetUtcNow();
        await handler.EnqueueTasksAsync(
            "doc-round",
            [new TaskSpec("ocr", new Dictionary<string, object> { ["pages"] = new[] { 1, 2 }, ["nested"] = new Dictionary<string, object> { ["deep"] = true } })],
            new Dictionary<string, object> { ["tenant"] = "acme" });
        var after = Time.GetUtcNow();

        var (result, task, _) = await ProcessCapturingAsync(handler);

        result.Outcome.Should().Be(ProcessOutcome.Completed);
        task.TaskConfig.GetRawText().Should().Be("""{"pages":[1,2],"nested":{"deep":true}}""");
        task.Metadata.GetRawText().Should().Be("""{"tenant":"acme"}""");
        task.EnqueuedAt!.Value.Should().BeOnOrAfter(before.AddTicks(-10)).And.BeOnOrBefore(after);
        task.EnqueuedAt.Value.Offset.Should().Be(TimeSpan.Zero);
        task.TotalTasks.Should().Be(1);
    }
}
