using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

public class ProcessOneTests
{
    private readonly Mock<ISqsClient> _sqs = new(MockBehavior.Strict);

    private TaskQueueHandler Handler(Action<TaskQueueOptions>? configure = null) => new(_sqs.Object, TestMessages.Options(configure));

    private void DeleteSucceeds() => _sqs.DeletesSucceed();

    private void VerifyNotDeleted() =>
        _sqs.Verify(s => s.DeleteMessageBatchAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()), Times.Never);

    private void BackoffSucceeds() =>
        _sqs.Setup(s => s.ChangeMessageVisibilityAsync(TestMessages.QueueUrl, "r-1", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

    [Fact]
    public async Task ProcessOne_EmptyQueue_ReturnsNull()
    {
        _sqs.ReturnsOnReceive();

        var result = await Handler().ProcessOneAsync((_, _) => Task.FromResult(1));

        result.Should().BeNull();
    }

    [Fact]
    public async Task ProcessOne_Receive_LongPollsForOneWithConfiguredWaitAndVisibility()
    {
        ReceiveOptions? seen = null;
        _sqs.Setup(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .Callback((string _, ReceiveOptions o, CancellationToken _) => seen = o)
            .ReturnsAsync([]);

        await Handler(o => { o.WaitTime = TimeSpan.FromSeconds(7); o.VisibilityTimeout = TimeSpan.FromSeconds(120); })
            .ProcessOneAsync((_, _) => Task.FromResult(1));

        (seen!.MaxMessages, seen.WaitTime, seen.VisibilityTimeout).Should().Be((1, TimeSpan.FromSeconds(7), (TimeSpan?)TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public async Task ProcessOne_HandlerSucceeds_DeletesAndReturnsValue()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody(), receiveCount: 2));
        DeleteSucceeds();
        TaskContext? context = null;

        var result = await Handler().ProcessOneAsync((task, ctx) =>
        {
            context = ctx;
            return Task.FromResult($"{task.EntityId}/{task.TaskName}/{task.TaskConfig.GetProperty("lang").GetString()}/{task.Metadata.GetProperty("tenant").GetString()}");
        });

        result!.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Value.Should().Be("doc-1/title/en/t1");
        result.Deleted.Should().BeTrue();
        result.Task!.TotalTasks.Should().Be(3);
        result.Task.EnqueuedAt.Should().Be(new DateTimeOffset(2026, 11, 23, 10, 15, 30, TimeSpan.Zero).AddTicks(1234560));
        context!.MessageId.Should().Be("m-1");
        context.ReceiveCount.Should().Be(2);
        context.MessageGroupId.Should().Be("doc-1-title");
        _sqs.Verify(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.Is<IReadOnlyList<ReceiptEntry>>(e => e.Single().ReceiptHandle == "r-1"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ProcessOne_HandlerSucceeds_ReportsHowLongTheHandlerRan()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody()));
        DeleteSucceeds();
        var time = new FakeTimeProvider();
        var handler = new TaskQueueHandler(_sqs.Object, TestMessages.Options(), timeProvider: time);

        var result = await handler.ProcessOneAsync((_, _) =>
        {
            time.Advance(TimeSpan.FromSeconds(3));
            return Task.FromResult(1);
        });

        result!.Duration.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ProcessOne_HandlerThrows_LeavesMessageWithBackoffAndReturnsError()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody(), receiveCount: 3));
        BackoffSucceeds();
        var boom = new InvalidOperationException("boom");

        var result = await Handler().ProcessOneAsync<int>((_, _) => throw boom);

        result!.Outcome.Should().Be(ProcessOutcome.Failed);
        result.Error.Should().BeSameAs(boom);
        result.Deleted.Should().BeFalse();
        result.Task!.TaskName.Should().Be("title");
        VerifyNotDeleted();
        _sqs.Verify(s => s.ChangeMessageVisibilityAsync(TestMessages.QueueUrl, "r-1", TimeSpan.FromSeconds(20), It.IsAny<CancellationToken>()), Times.Once, "third receive: 5 s × 2²");
    }

    [Fact]
    public async Task ProcessOne_HandlerThrowsWithBackoffDisabled_KeepsVisibility()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody()));

        var result = await Handler(o => o.RetryBackoff.Enabled = false).ProcessOneAsync<int>((_, _) => throw new InvalidOperationException());

        result!.Outcome.Should().Be(ProcessOutcome.Failed);
        VerifyNotDeleted();
    }

    [Fact]
    public async Task ProcessOne_VoidHandlerSucceeds_Deletes()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody()));
        DeleteSucceeds();

        var result = await Handler().ProcessOneAsync((_, _) => Task.CompletedTask);

        result!.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Deleted.Should().BeTrue();
    }

    public static TheoryData<string, string> PoisonBodies => new()
    {
        { "not json at all", "body is not valid JSON*" },
        { "", "body is empty" },
        { "[1,2]", "body is a JSON Array, not an object" },
        { """{"task_name":"a"}""", "field 'entity_id' is missing" },
        { """{"entity_id":"d","task_name":7}""", "field 'task_name' must be a non-empty string, not a number" },
        { """{"entity_id":"","task_name":"a"}""", "field 'entity_id' must be a non-empty string, not a string" },
        { """{"entity_id":"d","task_name":"a","task_config":[1]}""", "field 'task_config' must be an object, not an array" },
        { """{"entity_id":"d","task_name":"a","metadata":"x"}""", "field 'metadata' must be an object, not a string" },
        { """{"entity_id":"d","task_name":"a","timestamp":"yesterday"}""", "field 'timestamp' must be an ISO-8601 time string, not a string" },
        { """{"entity_id":"d","task_name":"a","total_tasks":"3"}""", "field 'total_tasks' must be an integer, not a string" },
        { """{"entity_id":"d","task_name":"a","retry_count":1.5}""", "field 'retry_count' must be an integer, not a number" },
        { """{"entity_id":"d\ud800","task_name":"a"}""", "field 'entity_id' must be valid Unicode text, not a string with an unpaired surrogate or invalid UTF-8" },
        { """{"entity_id":"d","task_name":"a","task_config":{"x":{"y":""", "body is not valid JSON*" },
        { new string('[', 200) + new string(']', 200), "body is not valid JSON*" },
    };

    [Theory]
    [MemberData(nameof(PoisonBodies))]
    public async Task ProcessOne_PoisonBody_ReportedNotThrownNotDeleted(string body, string reason)
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(body));
        BackoffSucceeds();
        var called = false;

        var result = await Handler().ProcessOneAsync((_, _) => { called = true; return Task.FromResult(1); });

        result!.Outcome.Should().Be(ProcessOutcome.Poison);
        result.PoisonReason.Should().Match(reason);
        result.Deleted.Should().BeFalse();
        called.Should().BeFalse();
        VerifyNotDeleted();
    }

    [Fact]
    public async Task ProcessOne_BodyWithUnknownFieldsAndNoOptionalOnes_IsProcessed()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received("""{"entity_id":"d","task_name":"a","future_field":{"x":1}}"""));
        DeleteSucceeds();

        var result = await Handler().ProcessOneAsync((task, _) => Task.FromResult(task.TaskConfig.EnumerateObject().Count()));

        result!.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Value.Should().Be(0);
        result.Task!.EnqueuedAt.Should().BeNull();
    }

    [Fact]
    public async Task ProcessOne_PoisonWithMoveOption_SendsToDlqThenDeletes()
    {
        var order = new List<string>();
        var poison = TestMessages.Received("garbage") with { Attributes = new Dictionary<string, string> { ["entity_id"] = "doc-9" } };
        _sqs.ReturnsOnReceive(poison);
        IReadOnlyList<OutgoingMessage>? sent = null;
        _sqs.Setup(s => s.SendMessageBatchAsync(TestMessages.DlqUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<OutgoingMessage> m, CancellationToken _) => { sent = m; order.Add("send"); })
            .ReturnsAsync(new SendBatchResult([new SentMessage("poison", "dlq-1")], []));
        _sqs.DeletesSucceed(() => order.Add("delete"));

        var result = await Handler(o => { o.PoisonMessageHandling = PoisonMessageHandling.MoveToDeadLetterQueue; o.DeadLetterQueueUrl = TestMessages.DlqUrl; })
            .ProcessOneAsync((_, _) => Task.FromResult(1));

        order.Should().Equal("send", "delete");
        result!.Outcome.Should().Be(ProcessOutcome.Poison);
        result.Deleted.Should().BeTrue();
        sent!.Single().Body.Should().Be("garbage");
        sent!.Single().MessageGroupId.Should().Be("doc-1-title");
        sent!.Single().MessageDeduplicationId.Should().Be("m-1");
        sent!.Single().Attributes.Should().ContainKey("entity_id");
    }

    [Fact]
    public async Task ProcessOne_PoisonMoveRejectedByDlq_NotDeletedButBackedOff()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received("garbage"));
        BackoffSucceeds();
        _sqs.Setup(s => s.SendMessageBatchAsync(TestMessages.DlqUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SendBatchResult([], [new BatchEntryFailure("poison", "InternalError", "down", false)]));

        var result = await Handler(o => { o.PoisonMessageHandling = PoisonMessageHandling.MoveToDeadLetterQueue; o.DeadLetterQueueUrl = TestMessages.DlqUrl; })
            .ProcessOneAsync((_, _) => Task.FromResult(1));

        result!.Deleted.Should().BeFalse();
        VerifyNotDeleted();
        _sqs.Verify(s => s.ChangeMessageVisibilityAsync(TestMessages.QueueUrl, "r-1", TimeSpan.FromSeconds(5), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ProcessOne_DeleteThrottledOnce_RetriesAndDeletes()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody()));
        _sqs.SetupSequence(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsThrottledException("slow down"))
            .ReturnsAsync(new BatchResult([], [new BatchEntryFailure("0", "InternalError", "busy", SenderFault: false)]))
            .ReturnsAsync(new BatchResult(["0"], []));

        var result = await Handler().ProcessOneAsync((_, _) => Task.FromResult(1));

        result!.Deleted.Should().BeTrue();
        _sqs.Verify(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Fact]
    public async Task ProcessOne_DeleteFailsForGood_CompletedButNotDeleted()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody()));
        _sqs.Setup(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new BatchResult([], [new BatchEntryFailure("0", "ReceiptHandleIsInvalid", "expired", SenderFault: true)]));

        var result = await Handler().ProcessOneAsync((_, _) => Task.FromResult(5));

        result!.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Value.Should().Be(5);
        result.Deleted.Should().BeFalse();
    }

    [Fact]
    public async Task ProcessOne_CancelledDuringHandler_ThrowsAndDoesNotDelete()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody()));
        using var cts = new CancellationTokenSource();

        var act = () => Handler().ProcessOneAsync(async (_, ctx) =>
        {
            await cts.CancelAsync();
            ctx.CancellationToken.ThrowIfCancellationRequested();
            return 1;
        }, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        VerifyNotDeleted();
    }

    [Fact]
    public async Task ProcessOne_DeleteKeepsFailingAndCallerCancels_StopsWaiting()
    {
        _sqs.ReturnsOnReceive(TestMessages.Received(TestMessages.TaskBody()));
        _sqs.Setup(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsThrottledException("slow down"));
        using var cts = new CancellationTokenSource();

        var act = () => Handler().ProcessOneAsync((_, _) =>
        {
            cts.CancelAfter(TimeSpan.FromMilliseconds(300));
            return Task.FromResult(1);
        }, cts.Token);

        // The delete is retried while the 900 s receipt is valid; the caller need not wait for that.
        await act.Should().ThrowAsync<OperationCanceledException>().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
