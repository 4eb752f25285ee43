using System.Text.Json;
using FluentAssertions;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

public class EnqueueTasksTests
{
    private readonly List<IReadOnlyList<OutgoingMessage>> _batches = [];

    private static List<TaskSpec> Tasks(int count) =>
        Enumerable.Range(0, count).Select(i => new TaskSpec($"task{i}", new Dictionary<string, object?> { ["n"] = i })).ToList();

    [Fact]
    public async Task EnqueueTasks_25Tasks_SendsThreeBatchesOf10And10And5()
    {
        var sqs = TestMessages.AcceptingSqs(_batches);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var result = await handler.EnqueueTasksAsync("doc-1", Tasks(25));

        _batches.Select(b => b.Count).Should().Equal(10, 10, 5);
        result.AllSucceeded.Should().BeTrue();
        result.Tasks.Should().HaveCount(25);
        result.Tasks.Select(t => t.TaskName).Should().Equal(Tasks(25).Select(t => t.TaskName));
        result.Tasks[7].MessageId.Should().Be("msg-doc-1-task7");
    }

    [Fact]
    public async Task EnqueueTasks_Message_HasWireFormatBodyGroupIdAndAttributes()
    {
        var sqs = TestMessages.AcceptingSqs(_batches);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        await handler.EnqueueTasksAsync("doc-123", [new TaskSpec("yearBuilt", new { source = "deed" }), new TaskSpec("owner")], new { tenant = "acme" });

        var message = _batches.Single()[0];
        message.MessageGroupId.Should().Be("doc-123-yearBuilt");
        message.MessageDeduplicationId.Should().MatchRegex("^call-[0-9a-f]{32}-0$", "the call's Guid and the task's place in it");
        message.Attributes.Should().Equal(new Dictionary<string, string> { ["entity_id"] = "doc-123", ["task_name"] = "yearBuilt" });
        using var body = JsonDocument.Parse(message.Body);
        var root = body.RootElement;
        root.GetProperty("entity_id").GetString().Should().Be("doc-123");
        root.GetProperty("task_name").GetString().Should().Be("yearBuilt");
        root.GetProperty("task_config").GetProperty("source").GetString().Should().Be("deed");
        root.GetProperty("metadata").GetProperty("tenant").GetString().Should().Be("acme");
        root.GetProperty("retry_count").GetInt32().Should().Be(0);
        root.GetProperty("total_tasks").GetInt32().Should().Be(2);
        root.GetProperty("timestamp").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$");
        _batches.Single()[1].Body.Should().Contain("\"task_config\":{}");
    }

    [Fact]
    public async Task EnqueueTasks_AfterACallThatFailedMidwayAndOneWithALargeBody_BodiesAreExact()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 15, 30, 123, TimeSpan.Zero).AddTicks(4560));
        var handler = new TaskQueueHandler(TestMessages.AcceptingSqs(_batches).Object, TestMessages.Options(o => o.MaxMessageBytes = 200_000), timeProvider: time);
        var tooLarge = () => handler.EnqueueTasksAsync("doc-0", [new TaskSpec("a", new { text = "\"" }), new TaskSpec("b", new { text = new string('y', 300_000) })]);
        await tooLarge.Should().ThrowAsync<ArgumentException>();
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("big", new { text = new string('z', 150_000) })]);

        var result = await handler.EnqueueTasksAsync("doc-2", [new TaskSpec("ocr", new { lang = "é\"" }), new TaskSpec("ner")], new { tenant = "acme" });

        _batches[^1].Select(m => m.Body).Should().Equal(
            $$"""{"entity_id":"doc-2","task_name":"ocr","task_config":{"lang":"é\""},"metadata":{"tenant":"acme"},"timestamp":"2026-11-23T10:15:30.123456+00:00","retry_count":0,"total_tasks":2,"batch_id":"{{result.BatchId}}"}""",
            $$"""{"entity_id":"doc-2","task_name":"ner","task_config":{},"metadata":{"tenant":"acme"},"timestamp":"2026-11-23T10:15:30.123456+00:00","retry_count":0,"total_tasks":2,"batch_id":"{{result.BatchId}}"}""");
        TaskMessageParser.TryParse(_batches[^2].Single().Body, out var big, out _).Should().BeTrue();
        big!.TaskConfig.GetProperty("text").GetString().Should().Be(new string('z', 150_000));
    }

    [Fact]
    public async Task EnqueueTasks_PartialBatchFailure_ResendsOnlyFailedEntries()
    {
        var sqs = new Mock<ISqsClient>();
        var calls = 0;
        sqs.Setup(s => s.SendMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) => _batches.Add(entries))
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) =>
                ++calls == 1
                    ? new SendBatchResult(
                        entries.Skip(2).Select(e => new SentMessage(e.Id, "msg-" + e.Id)).ToList(),
                        entries.Take(2).Select(e => new BatchEntryFailure(e.Id, "InternalError", "try again", SenderFault: false)).ToList())
                    : new SendBatchResult(entries.Select(e => new SentMessage(e.Id, "retry-" + e.Id)).ToList(), []));
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var result = await handler.EnqueueTasksAsync("doc-1", Tasks(5));

        _batches.Select(b => b.Count).Should().Equal(5, 2);
        _batches[1].Select(e => e.MessageGroupId).Should().Equal("doc-1-task0", "doc-1-task1");
        _batches[1].Select(e => e.MessageDeduplicationId).Should().Equal(
            _batches[0].Take(2).Select(e => e.MessageDeduplicationId), "a resend within the call must be deduplicated");
        result.AllSucceeded.Should().BeTrue();
        result.Tasks.Select(t => t.MessageId).Should().Equal("retry-0", "retry-1", "msg-2", "msg-3", "msg-4");
    }

    [Fact]
    public async Task EnqueueTasks_EntryKeepsFailing_ReportedAfterBoundedRetries()
    {
        var sqs = new Mock<ISqsClient>();
        sqs.Setup(s => s.SendMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) => _batches.Add(entries))
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) => new SendBatchResult(
                entries.Where(e => e.MessageGroupId != "doc-1-task1").Select(e => new SentMessage(e.Id, "msg-" + e.Id)).ToList(),
                entries.Where(e => e.MessageGroupId == "doc-1-task1").Select(e => new BatchEntryFailure(e.Id, "ServiceUnavailable", "busy", false)).ToList()));
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options(o => o.SendRetryAttempts = 2));

        var result = await handler.EnqueueTasksAsync("doc-1", Tasks(3));

        _batches.Should().HaveCount(3, "one send and two resends");
        result.AllSucceeded.Should().BeFalse();
        var failed = result.Failed.Single();
        failed.TaskName.Should().Be("task1");
        failed.ErrorCode.Should().Be("ServiceUnavailable");
        failed.ErrorMessage.Should().Be("busy");
        result.Tasks.Where(t => t.Succeeded).Should().HaveCount(2);
    }

    [Fact]
    public async Task EnqueueTasks_SenderFaultEntry_IsNotResent()
    {
        var sqs = new Mock<ISqsClient>();
        sqs.Setup(s => s.SendMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) => _batches.Add(entries))
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) =>
                new SendBatchResult([], entries.Select(e => new BatchEntryFailure(e.Id, "InvalidParameterValue", "bad", SenderFault: true)).ToList()));
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var result = await handler.EnqueueTasksAsync("doc-1", Tasks(2));

        _batches.Should().HaveCount(1);
        result.Failed.Should().HaveCount(2).And.OnlyContain(t => t.ErrorCode == "InvalidParameterValue");
    }

    [Fact]
    public async Task EnqueueTasks_TransientExceptionOnBatch_ResendsWholeBatch()
    {
        var sqs = new Mock<ISqsClient>();
        sqs.SetupSequence(s => s.SendMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsThrottledException("slow down"))
            .ReturnsAsync(new SendBatchResult([new SentMessage("0", "m0"), new SentMessage("1", "m1")], []));
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var result = await handler.EnqueueTasksAsync("doc-1", Tasks(2));

        result.Tasks.Select(t => t.MessageId).Should().Equal("m0", "m1");
    }

    [Fact]
    public async Task EnqueueTasks_QueueMissing_Throws()
    {
        var sqs = new Mock<ISqsClient>();
        sqs.Setup(s => s.SendMessageBatchAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new QueueDoesNotExistException("Queue tasks.fifo does not exist"));
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var act = () => handler.EnqueueTasksAsync("doc-1", Tasks(2));

        await act.Should().ThrowAsync<QueueDoesNotExistException>().WithMessage("*tasks.fifo*");
    }

    [Fact]
    public async Task EnqueueTasks_LargeMessages_SplitByBatchPayloadLimit()
    {
        var sqs = TestMessages.AcceptingSqs(_batches);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());
        var big = new string('x', 300_000);

        await handler.EnqueueTasksAsync("doc-1", Enumerable.Range(0, 5).Select(i => new TaskSpec($"t{i}", new { big })));

        _batches.Select(b => b.Count).Should().Equal(3, 2);
        _batches.Should().OnlyContain(b => b.Sum(m => m.Body.Length) <= 1_048_576);
    }

    [Fact]
    public async Task EnqueueTasks_LongOrUnicodeNames_GetStableHashedIds()
    {
        var sqs = TestMessages.AcceptingSqs(_batches);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());
        var longEntity = new string('e', 200);

        var first = await handler.EnqueueTasksAsync(longEntity, [new TaskSpec("année de construction")]);
        var second = await handler.EnqueueTasksAsync(longEntity, [new TaskSpec("année de construction")]);

        var id = first.Tasks[0].MessageGroupId;
        id.Length.Should().BeLessThanOrEqualTo(128);
        id.Should().MatchRegex("^[A-Za-z0-9!-/:-@\\[-`{-~]+$");
        second.Tasks[0].MessageGroupId.Should().Be(id);
        first.Tasks[0].DeduplicationId.Length.Should().BeLessThanOrEqualTo(128);
        _batches[0][0].Attributes!["task_name"].Should().Be("année de construction", "attributes keep the real name");
    }

    public static TheoryData<string, TaskSpec[], string> InvalidCalls => new()
    {
        { "", [new TaskSpec("a")], "entityId must not be empty*" },
        { "  ", [new TaskSpec("a")], "entityId must not be empty*" },
        { "doc-1", [], "No tasks to enqueue for entity 'doc-1'*" },
        { "doc-1", [new TaskSpec("a"), new TaskSpec("")], "Task 1 of entity 'doc-1' has an empty task name*" },
        { "doc-1", [new TaskSpec("a"), new TaskSpec("b"), new TaskSpec("a")], "Task 'a' appears twice for entity 'doc-1'*" },
        { "doc-1", [new TaskSpec("a", new[] { 1, 2 })], "task_config of task 'a' must serialize to a JSON object*" },
        { "doc-1", [new TaskSpec("a", "text")], "task_config of task 'a' must serialize to a JSON object*" },
        { "doc-1", [new TaskSpec("huge", new { blob = new string('x', 1_048_576) })], "Task 'huge' of entity 'doc-1' is 1,048,* bytes, over the 1,048,576-byte message limit*" },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public async Task EnqueueTasks_InvalidInput_ThrowsNamingTheProblemBeforeAnyRequest(string entityId, TaskSpec[] tasks, string expected)
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var act = () => handler.EnqueueTasksAsync(entityId, tasks);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage(expected);
        sqs.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task EnqueueTasks_MetadataNotAnObject_ThrowsBeforeAnyRequest()
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options());

        var act = () => handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a")], metadata: 42);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("metadata must serialize to a JSON object*");
    }

    [Fact]
    public async Task EnqueueTasks_QueueMaxSmallerThanMessage_UsesConfiguredLimit()
    {
        var sqs = new Mock<ISqsClient>(MockBehavior.Strict);
        var handler = new TaskQueueHandler(sqs.Object, TestMessages.Options(o => o.MaxMessageBytes = 1024));

        var act = () => handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a", new { text = new string('x', 2000) })]);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*over the 1,024-byte message limit*");
    }
}
