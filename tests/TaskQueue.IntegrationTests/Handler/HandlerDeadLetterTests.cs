using FluentAssertions;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Handler;

/// <summary>GetDlqMessagesAsync: what a peek shows of a task that failed into the DLQ, and that it leaves it there.</summary>
public abstract class HandlerDeadLetterTests(ISqsBackend backend) : HandlerTestBase(backend)
{
    [Fact]
    public async Task GetDlqMessagesAsync_TaskFailedIntoDeadLetterQueue_ShowsEntityTaskReceiveCountAndEnqueueTime()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 1);
        var handler = CreateHandler(queues);
        var before = Time.GetUtcNow();
        var enqueued = await handler.EnqueueTasksAsync("doc-dead", [new TaskSpec("yearBuilt")]);
        var after = Time.GetUtcNow();
        await FailIntoDeadLetterQueueAsync(handler);

        var peeked = await PeekAsync(handler);

        var deadLetter = peeked.Should().ContainSingle().Subject;
        deadLetter.MessageId.Should().Be(enqueued.Tasks.Single().MessageId);
        deadLetter.EntityId.Should().Be("doc-dead");
        deadLetter.TaskName.Should().Be("yearBuilt");
        deadLetter.MessageGroupId.Should().Be("doc-dead-yearBuilt");
        deadLetter.ReceiveCount.Should().BeGreaterThanOrEqualTo(1, "the peek is a receive");
        deadLetter.EnqueuedAt.Should().NotBeNull();
        // The body's timestamp is written to the microsecond, so it may be up to a microsecond before the clock read.
        deadLetter.EnqueuedAt!.Value.Should().BeOnOrAfter(before.AddTicks(-10)).And.BeOnOrBefore(after);
        deadLetter.PoisonReason.Should().BeNull();
        deadLetter.Body.Should().Contain("\"entity_id\":\"doc-dead\"");
    }

    [Fact]
    public async Task GetDlqMessagesAsync_PeekedTwice_LeavesMessageInDeadLetterQueueAndSeesItAgain()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 1);
        var handler = CreateHandler(queues);
        await handler.EnqueueTasksAsync("doc-peek", [new TaskSpec("ocr")]);
        await FailIntoDeadLetterQueueAsync(handler);

        var firstPeek = await PeekAsync(handler);
        var statusAfterFirst = await handler.GetQueueStatusAsync();
        var secondPeek = await PeekAsync(handler);
        var statusAfterSecond = await handler.GetQueueStatusAsync();

        var first = firstPeek.Should().ContainSingle().Subject;
        var second = secondPeek.Should().ContainSingle().Subject;
        second.MessageId.Should().Be(first.MessageId);
        second.EntityId.Should().Be("doc-peek");
        second.TaskName.Should().Be("ocr");
        second.ReceiveCount.Should().Be(first.ReceiveCount + 1, "each peek is one more receive");
        statusAfterFirst.DeadLetters.Should().Be(1);
        statusAfterSecond.Should().Be(new QueueStatus(Available: 0, InFlight: 0, Delayed: 0, DeadLetters: 1));
    }

    [Fact]
    public async Task GetDlqMessagesAsync_EmptyDeadLetterQueue_ReturnsNothing()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);

        var peeked = await PeekAsync(handler);

        peeked.Should().BeEmpty();
    }

    [Fact]
    public async Task GetDlqMessagesAsync_ConfiguredDeadLetterQueueUrl_PeeksThatQueue()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 1);
        await using var other = await TestQueues.CreateAsync(Sqs, visibilityTimeout: Visibility);
        var handler = CreateHandler(queues, o => o.DeadLetterQueueUrl = other.DeadLetterQueueUrl);
        await SendRawAsync(other.DeadLetterQueueUrl, """{"entity_id":"doc-other","task_name":"ocr"}""", "doc-other-ocr");

        var peeked = await PeekAsync(handler);
        var status = await handler.GetQueueStatusAsync();

        peeked.Should().ContainSingle().Which.EntityId.Should().Be("doc-other");
        status.DeadLetters.Should().Be(1);
    }

    /// <summary>Fails the one task once, lets its visibility end, and lets the next receive move it (maxReceiveCount 1).</summary>
    private async Task FailIntoDeadLetterQueueAsync(TaskQueueHandler handler)
    {
        var failed = await handler.ProcessOneAsync(Fail);
        failed.Should().NotBeNull();
        await LetTimePassAsync(Visibility);
        (await handler.ProcessOneAsync(Fail)).Should().BeNull("the receive after maxReceiveCount moves the task to the DLQ");
        (await handler.GetQueueStatusAsync()).DeadLetters.Should().Be(1);
    }
}
