using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Handler;

/// <summary>EnqueueTasksAsync as a plain consumer sees it: the wire format, the group ids, and deduplication.</summary>
public abstract class HandlerEnqueueTests(ISqsBackend backend) : HandlerTestBase(backend)
{
    /// <summary>The body fields of the wire format, in the order the library writes them: the reference's, then the batch id.</summary>
    private static readonly string[] WireFields =
        ["entity_id", "task_name", "task_config", "metadata", "timestamp", "retry_count", "total_tasks", "batch_id"];

    [Fact]
    public async Task EnqueueTasksAsync_25TasksOf3Entities_PlainReceiveSeesWireFormatAttributesAndGroups()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        var taskCounts = new Dictionary<string, int> { ["doc-a"] = 10, ["doc-b"] = 8, ["doc-c"] = 7 };
        var before = Time.GetUtcNow();
        foreach (var (entity, count) in taskCounts)
        {
            var result = await handler.EnqueueTasksAsync(
                entity,
                Enumerable.Range(0, count).Select(i => new TaskSpec($"task{i}", new Dictionary<string, object> { ["index"] = i, ["entity"] = entity })),
                new Dictionary<string, object> { ["tenant"] = "acme", ["org_id"] = 7 });
            result.AllSucceeded.Should().BeTrue();
        }

        var after = Time.GetUtcNow();

        var received = await DrainAsync(queues.QueueUrl);

        received.Should().HaveCount(25);
        received.Select(m => m.MessageGroupId).Should().OnlyHaveUniqueItems();
        foreach (var message in received)
        {
            using var body = JsonDocument.Parse(message.Body);
            var root = body.RootElement;
            var entity = root.GetProperty("entity_id").GetString()!;
            var task = root.GetProperty("task_name").GetString()!;
            var index = int.Parse(task["task".Length..], CultureInfo.InvariantCulture);

            root.EnumerateObject().Select(p => p.Name).Should().Equal(WireFields);
            taskCounts.Should().ContainKey(entity);
            index.Should().BeInRange(0, taskCounts[entity] - 1);
            root.GetProperty("task_config").GetRawText().Should().Be($$"""{"index":{{index}},"entity":"{{entity}}"}""");
            root.GetProperty("metadata").GetRawText().Should().Be("""{"tenant":"acme","org_id":7}""");
            root.GetProperty("retry_count").GetInt32().Should().Be(0);
            root.GetProperty("total_tasks").GetInt32().Should().Be(taskCounts[entity]);
            root.GetProperty("batch_id").GetString().Should().MatchRegex("^[0-9a-f]{32}$", "one Guid per enqueue call");
            var timestamp = root.GetProperty("timestamp").GetString()!;
            timestamp.Should().MatchRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$");
            var enqueuedAt = DateTimeOffset.ParseExact(timestamp, "yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
            // The timestamp is written to the microsecond, so it may be up to a microsecond before the clock read.
            enqueuedAt.Should().BeOnOrAfter(before.AddTicks(-10)).And.BeOnOrBefore(after);
            message.Attributes.Should().BeEquivalentTo(new Dictionary<string, string> { ["entity_id"] = entity, ["task_name"] = task });
            message.MessageGroupId.Should().Be($"{entity}-{task}");
            message.ReceiveCount.Should().Be(1);
        }

        received.Select(m => $"{m.Attributes["entity_id"]}/{m.Attributes["task_name"]}").Should().BeEquivalentTo(
            taskCounts.SelectMany(e => Enumerable.Range(0, e.Value).Select(i => $"{e.Key}/task{i}")));
    }

    [Fact]
    public async Task EnqueueTasksAsync_PairsSharingAGroupId_BothDeliveredOneAfterTheOther()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);

        var first = await handler.EnqueueTasksAsync("a-b", [new TaskSpec("c")]);
        var second = await handler.EnqueueTasksAsync("a", [new TaskSpec("b-c")]);
        var received = await DrainAsync(queues.QueueUrl);

        second.Tasks[0].MessageGroupId.Should().Be(first.Tasks[0].MessageGroupId).And.Be("a-b-c");
        received.Select(m => $"{m.Attributes["entity_id"]}/{m.Attributes["task_name"]}").Should().Equal(
            ["a-b/c", "a/b-c"], "a shared group couples the two tasks' order, and both run");
    }

    [Fact]
    public async Task EnqueueTasksAsync_SameTasksAgainAtOnceByDefault_DeliversBothCopies()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        TaskSpec[] tasks = [new("ocr", new { version = 1 }), new("classify")];

        // No time passes between the calls: a re-enqueue is new work however soon it comes.
        var first = await handler.EnqueueTasksAsync("doc-again", tasks);
        var second = await handler.EnqueueTasksAsync("doc-again", [new("ocr", new { version = 2 }), new("classify")]);
        var received = await DrainAsync(queues.QueueUrl);

        second.Tasks.Select(t => t.MessageId).Should().NotIntersectWith(first.Tasks.Select(t => t.MessageId));
        received.Select(m => m.MessageId).Should().BeEquivalentTo(first.Tasks.Concat(second.Tasks).Select(t => t.MessageId));
        received.Where(m => m.Attributes["task_name"] == "ocr").Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("task_config").GetRawText())
            .Should().Equal("""{"version":1}""", """{"version":2}""");
    }

    [Fact]
    public async Task EnqueueTasksAsync_SameTasksTwiceInDeterministicMode_DeliversOneCopy()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues, o => o.DeduplicationMode = DeduplicationMode.Deterministic);
        TaskSpec[] tasks = [new("ocr"), new("classify"), new("yearBuilt")];

        var first = await handler.EnqueueTasksAsync("doc-dedup", tasks);
        await LetTimePassAsync(TimeSpan.FromMilliseconds(10));
        var second = await handler.EnqueueTasksAsync("doc-dedup", tasks);
        var received = await DrainAsync(queues.QueueUrl);

        second.AllSucceeded.Should().BeTrue("SQS accepts a duplicate and drops it silently");
        second.Tasks.Should().OnlyContain(t => t.MayHaveBeenDeduplicated, "the result says a success may not be a new message");
        second.Tasks.Select(t => t.DeduplicationId).Should().Equal(first.Tasks.Select(t => t.DeduplicationId));
        second.Tasks.Select(t => t.MessageId).Should().Equal(first.Tasks.Select(t => t.MessageId), "a duplicate returns the original message id");
        received.Select(m => m.Attributes["task_name"]).Should().BeEquivalentTo(["ocr", "classify", "yearBuilt"]);
        received.Select(m => m.MessageId).Should().BeEquivalentTo(first.Tasks.Select(t => t.MessageId));
    }

    [Fact]
    public async Task EnqueueTasksAsync_SameIdempotencyKeyTwice_DeliversOneCopyAndANewKeyAnother()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        TaskSpec[] tasks = [new("ocr"), new("classify")];

        var first = await handler.EnqueueTasksAsync("doc-key", tasks, idempotencyKey: "upload-1");
        // Another handler stands for another process: the key, not the handler, makes the ids.
        var repeat = await CreateHandler(queues).EnqueueTasksAsync("doc-key", tasks, idempotencyKey: "upload-1");
        var next = await handler.EnqueueTasksAsync("doc-key", tasks, idempotencyKey: "upload-2");
        var received = await DrainAsync(queues.QueueUrl);

        repeat.Tasks.Select(t => t.MessageId).Should().Equal(first.Tasks.Select(t => t.MessageId), "a duplicate returns the original message id");
        first.Tasks.Concat(repeat.Tasks).Concat(next.Tasks).Should().OnlyContain(t => t.MayHaveBeenDeduplicated);
        received.Select(m => m.MessageId).Should().BeEquivalentTo(first.Tasks.Concat(next.Tasks).Select(t => t.MessageId));
    }

    [Fact]
    public async Task EnqueueTasksAsync_SameTasksTwiceInPerCallMode_DeliversBothCopies()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues, o => o.DeduplicationMode = DeduplicationMode.PerCall);
        TaskSpec[] tasks = [new("ocr"), new("classify")];

        var first = await handler.EnqueueTasksAsync("doc-percall", tasks);
        var second = await handler.EnqueueTasksAsync("doc-percall", tasks);
        var received = await DrainAsync(queues.QueueUrl);

        first.Tasks.Concat(second.Tasks).Should().OnlyContain(t => !t.MayHaveBeenDeduplicated);
        second.Tasks.Select(t => t.DeduplicationId).Should().NotIntersectWith(first.Tasks.Select(t => t.DeduplicationId));
        second.Tasks.Select(t => t.MessageId).Should().NotIntersectWith(first.Tasks.Select(t => t.MessageId));
        received.Should().HaveCount(4);
        received.Select(m => m.MessageId).Should().BeEquivalentTo(first.Tasks.Concat(second.Tasks).Select(t => t.MessageId));
        received.Select(m => m.MessageGroupId).Should().BeEquivalentTo(
            ["doc-percall-ocr", "doc-percall-ocr", "doc-percall-classify", "doc-percall-classify"]);
    }

    [Fact]
    public async Task EnqueueTasksAsync_NonLatinText_ArrivesAsUnescapedUtf8AndReadsBack()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        // Beyond U+FFFF (the emoji) is escaped: fauxqs, unlike AWS, refuses such characters in a body.
        const string text = "東京都の建物 — année 😀";

        await handler.EnqueueTasksAsync("doc-東京", [new TaskSpec("要約", new { text })], new { tenant = "société" });
        var received = (await DrainAsync(queues.QueueUrl)).Single();

        received.Body.Should().Contain("東京都の建物 — année \\uD83D\\uDE00").And.Contain("société");
        received.Attributes.Should().Contain("entity_id", "doc-東京");
        TaskMessageParser.TryParse(received.Body, out var task, out var reason).Should().BeTrue(reason);
        task!.TaskName.Should().Be("要約");
        task.TaskConfig.GetProperty("text").GetString().Should().Be(text);
    }

    [Fact]
    public async Task EnqueueTasksAsync_Tasks_ReportGroupAndMessageIdPerTaskInOrder()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);

        var result = await handler.EnqueueTasksAsync("doc-ids", [new TaskSpec("ocr"), new TaskSpec("classify")]);
        var received = await DrainAsync(queues.QueueUrl);

        result.EntityId.Should().Be("doc-ids");
        result.Failed.Should().BeEmpty();
        result.Tasks.Select(t => (t.TaskName, t.MessageGroupId)).Should().Equal(("ocr", "doc-ids-ocr"), ("classify", "doc-ids-classify"));
        received.Should().HaveCount(2);
        received.Single(m => m.MessageGroupId == "doc-ids-ocr").MessageId.Should().Be(result.Tasks[0].MessageId);
        received.Single(m => m.MessageGroupId == "doc-ids-classify").MessageId.Should().Be(result.Tasks[1].MessageId);
        received.Select(m => TaskMessageParser.TryParse(m.Body, out var task, out _) ? $"{task.EntityId}/{task.TaskName}" : null)
            .Should().BeEquivalentTo(["doc-ids/ocr", "doc-ids/classify"]);
    }
}
