using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Tests.Payloads;

/// <summary>
/// ProcessOne, peek, redrive and entity tracking with stored bodies, on the in-memory SQS and store: the body fetched
/// before the handler runs, deleted only after the message, kept for dead letters.
/// </summary>
public class LargePayloadProcessingTests
{
    private const string Bucket = "task-bodies";
    private static readonly JsonElement Config = JsonSerializer.SerializeToElement(new { text = new string('x', 5_000) });

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemorySqsClient _sqs;
    private readonly InMemoryPayloadStore _store = new();

    public LargePayloadProcessingTests() => _sqs = new InMemorySqsClient(_time);

    private async Task<TaskQueueHandler> HandlerAsync(Action<TaskQueueOptions>? configure = null, EntityTracking? tracking = null, int maxReceiveCount = 2)
    {
        var dlq = await _sqs.CreateQueueAsync("bodies-dlq.fifo", new Dictionary<string, string> { ["FifoQueue"] = "true" });
        var dlqArn = (await _sqs.GetQueueAttributesAsync(dlq, ["QueueArn"]))["QueueArn"];
        var queue = await _sqs.CreateQueueAsync("bodies.fifo", new Dictionary<string, string>
        {
            ["FifoQueue"] = "true",
            ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{dlqArn}}","maxReceiveCount":"{{maxReceiveCount}}"}""",
        });
        var options = new TaskQueueOptions { QueueUrl = queue, WaitTime = TimeSpan.Zero, VisibilityTimeout = TimeSpan.FromSeconds(30) };
        options.RetryBackoff.Enabled = false;
        options.LargePayloads.Bucket = Bucket;
        options.LargePayloads.Threshold = 1_024;
        configure?.Invoke(options);
        return new TaskQueueHandler(_sqs, Options.Create(options), timeProvider: _time, entityTracking: tracking, payloadStore: _store);
    }

    [Fact]
    public async Task ProcessOne_Pointer_HandlerSeesTheStoredConfig_ThenMessageAndObjectAreDeleted()
    {
        var handler = await HandlerAsync();
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config)]);
        _store.Count.Should().Be(1);

        var result = await handler.ProcessOneAsync((task, _) => Task.FromResult(task.TaskConfig.GetProperty("text").GetString()!.Length));

        result!.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Value.Should().Be(5_000);
        result.Deleted.Should().BeTrue();
        _store.Count.Should().Be(0);
        (_store.Puts, _store.Gets, _store.Deletes).Should().Be((1L, 1L, 1L));
    }

    [Fact]
    public async Task ProcessOne_DeleteAfterProcessingOff_KeepsTheObject()
    {
        var handler = await HandlerAsync(o => o.LargePayloads.DeleteAfterProcessing = false);
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config)]);

        (await handler.ProcessOneAsync((_, _) => Task.CompletedTask))!.Deleted.Should().BeTrue();

        _store.Count.Should().Be(1);
    }

    [Fact]
    public async Task ProcessOne_HandlerFails_ObjectStaysForTheRetry()
    {
        var handler = await HandlerAsync();
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config)]);

        var failed = await handler.ProcessOneAsync((_, _) => throw new InvalidOperationException("no"));
        _time.Advance(TimeSpan.FromSeconds(31));
        var retried = await handler.ProcessOneAsync((task, _) => Task.FromResult(task.TaskName));

        failed!.Outcome.Should().Be(ProcessOutcome.Failed);
        retried!.Outcome.Should().Be(ProcessOutcome.Completed);
        _store.Count.Should().Be(0);
    }

    [Fact]
    public async Task ProcessOne_StoreUnreachable_IsAFailedAttempt_MessageAndObjectKept()
    {
        var handler = await HandlerAsync();
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config)]);
        _store.FailNext();
        var ran = false;

        var result = await handler.ProcessOneAsync((_, _) => { ran = true; return Task.CompletedTask; });

        result!.Outcome.Should().Be(ProcessOutcome.Failed);
        result.Error.Should().BeOfType<IOException>();
        result.Deleted.Should().BeFalse();
        ran.Should().BeFalse();
        _store.Count.Should().Be(1);
    }

    [Fact]
    public async Task ProcessOne_ObjectMissing_IsPoisonNamingBucketAndKey_MovedToTheDlqAsConfigured()
    {
        var handler = await HandlerAsync(o => o.PoisonMessageHandling = PoisonMessageHandling.MoveToDeadLetterQueue);
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config)]);
        var (bucket, key) = _store.Keys.Single();
        _store.Remove(bucket, key);

        var result = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);

        result!.Outcome.Should().Be(ProcessOutcome.Poison);
        result.PoisonReason.Should().Contain($"s3://{bucket}/{key}").And.Contain("does not exist");
        result.Deleted.Should().BeTrue("moved to the DLQ");
        (await handler.GetQueueStatusAsync()).DeadLetters.Should().Be(1);
    }

    [Fact]
    public async Task DeadLetteredPointer_KeepsItsObject_PeekShowsTheTask_RedriveRunsItAgain()
    {
        var handler = await HandlerAsync(maxReceiveCount: 1);
        var enqueued = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config)]);
        await handler.ProcessOneAsync((_, _) => Task.FromResult(TaskOutcome.DeadLetter("not now")));
        _store.Count.Should().Be(1, "a dead letter keeps its body");

        var peekTask = handler.GetDlqMessagesAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        var letter = (await peekTask).Should().ContainSingle().Subject;
        letter.EntityId.Should().Be("doc-1");
        letter.TaskName.Should().Be("ocr");
        letter.BatchId.Should().Be(enqueued.BatchId);
        letter.PoisonReason.Should().BeNull();
        letter.Payload.Should().Be(new PayloadReference(Bucket, _store.Keys.Single().Key, _store.Get(Bucket, _store.Keys.Single().Key)!.Length));
        _store.Gets.Should().Be(1, "the peek does not fetch");

        var redriveTask = handler.RedriveDeadLettersAsync(new RedriveOptions { TaskName = "ocr" });
        _time.Advance(TimeSpan.FromSeconds(1));
        (await redriveTask).Moved.Should().Be(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        var rerun = await handler.ProcessOneAsync((task, _) => Task.FromResult(task.TaskConfig.GetProperty("text").GetString()!.Length));

        rerun!.Value.Should().Be(5_000);
        _store.Count.Should().Be(0);
    }

    [Fact]
    public async Task EntityTracking_PointerTask_CompletesItsBatch()
    {
        var ledger = new InMemoryEntityLedger();
        var handler = await HandlerAsync(tracking: new EntityTracking(ledger));
        var enqueued = await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr", Config), new TaskSpec("tiny")]);
        _store.Count.Should().Be(1, "only the large task's body is stored");

        await handler.ProcessOneAsync((_, _) => Task.CompletedTask);
        await handler.ProcessOneAsync((_, _) => Task.CompletedTask);

        var batch = (await ledger.GetBatchesAsync("doc-1", CancellationToken.None)).Single();
        batch.BatchId.Should().Be(enqueued.BatchId);
        batch.IsComplete.Should().BeTrue();
        batch.AllSucceeded.Should().BeTrue();
    }
}
