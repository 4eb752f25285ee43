using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Completion;

/// <summary>Each enqueue call is a batch: its id is in the result and in every message, and names the same batch exactly when the deduplication ids are shared.</summary>
public class BatchIdTests
{
    private readonly List<IReadOnlyList<OutgoingMessage>> _batches = [];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T10:15:30Z", CultureInfo.InvariantCulture));

    private TaskQueueHandler Handler(Action<TaskQueueOptions>? configure = null) =>
        new(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options(configure), timeProvider: _time);

    private static string BodyBatchId(OutgoingMessage message) =>
        JsonDocument.Parse(message.Body).RootElement.GetProperty("batch_id").GetString()!;

    [Fact]
    public async Task Enqueue_EveryMessageCarriesTheResultsBatchId()
    {
        var result = await Handler().EnqueueTasksAsync("doc-1", [new TaskSpec("a"), new TaskSpec("b"), new TaskSpec("c")]);

        result.BatchId.Should().NotBeNullOrEmpty();
        _batches.SelectMany(b => b).Select(BodyBatchId).Should().HaveCount(3).And.OnlyContain(id => id == result.BatchId);
    }

    [Fact]
    public async Task Enqueue_TwoCallsOfTheSameTasks_TwoBatches()
    {
        var handler = Handler();

        var first = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a")]);
        var second = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a")]);

        second.BatchId.Should().NotBe(first.BatchId, "a new enqueue is new work, completed and announced on its own");
    }

    [Fact]
    public async Task Enqueue_SameIdempotencyKey_SameBatchAndAnotherKeyAnother()
    {
        var handler = Handler();

        var first = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a")], idempotencyKey: "upload-7");
        var repeat = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a")], idempotencyKey: "upload-7");
        var other = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a")], idempotencyKey: "upload-8");
        var otherEntity = await handler.EnqueueTasksAsync("doc-2", [new TaskSpec("a")], idempotencyKey: "upload-7");

        repeat.BatchId.Should().Be(first.BatchId, "SQS drops the repeat's messages: only the first call's batch can complete");
        other.BatchId.Should().NotBe(first.BatchId);
        otherEntity.BatchId.Should().NotBe(first.BatchId);
    }

    [Fact]
    public async Task Enqueue_DeterministicMode_SameTasksSameBatchOtherTasksAnother()
    {
        var handler = Handler(o => o.DeduplicationMode = DeduplicationMode.Deterministic);

        var first = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a"), new TaskSpec("b")]);
        var repeat = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a"), new TaskSpec("b")]);
        var fewer = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a")]);

        repeat.BatchId.Should().Be(first.BatchId);
        fewer.BatchId.Should().NotBe(first.BatchId);
    }

    [Fact]
    public void Parse_BatchIdIsRead()
    {
        TaskMessageParser.TryParse("""{"entity_id":"d","task_name":"t","batch_id":"b-1","total_tasks":2}""", out var task, out _).Should().BeTrue();

        task!.BatchId.Should().Be("b-1");
    }

    [Theory]
    [InlineData("""{"entity_id":"d","task_name":"t","batch_id":7}""")]
    [InlineData("""{"entity_id":"d","task_name":"t","batch_id":""}""")]
    public void Parse_MistypedBatchId_IsPoisonNamingTheField(string body)
    {
        TaskMessageParser.TryParse(body, out _, out var error).Should().BeFalse();

        error.Should().Contain("batch_id");
    }

    [Fact]
    public void Parse_NoBatchId_StillATaskButUntracked()
    {
        TaskMessageParser.TryParse("""{"entity_id":"d","task_name":"t","total_tasks":2}""", out var task, out _).Should().BeTrue();

        task!.BatchId.Should().BeNull();
    }
}
