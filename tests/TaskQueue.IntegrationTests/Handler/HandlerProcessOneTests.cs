using FluentAssertions;
using TaskQueue.Sqs;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Handler;

/// <summary>ProcessOneAsync end to end: delete on success, retries and redrive on failure, backoff, and long polling.</summary>
public abstract class HandlerProcessOneTests(ISqsBackend backend) : HandlerTestBase(backend)
{
    [Fact]
    public async Task ProcessOneAsync_HandlerSucceeds_RunsTaskAndDeletesMessage()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        var enqueued = await handler.EnqueueTasksAsync(
            "doc-ok", [new TaskSpec("ocr", new Dictionary<string, object> { ["language"] = "en" })], new Dictionary<string, object> { ["tenant"] = "acme" });
        TaskMessage? seenTask = null;
        TaskContext? seenContext = null;

        var result = await handler.ProcessOneAsync((task, context) =>
        {
            seenTask = task;
            seenContext = context;
            return Task.FromResult(42);
        });
        var status = await handler.GetQueueStatusAsync();
        await LetTimePassAsync(Visibility);
        var afterVisibility = await Sqs.ReceiveMessagesAsync(queues.QueueUrl, new ReceiveOptions(10, TimeSpan.Zero));

        result.Should().NotBeNull();
        result!.Outcome.Should().Be(ProcessOutcome.Completed);
        result.Deleted.Should().BeTrue();
        result.Value.Should().Be(42);
        result.MessageId.Should().Be(enqueued.Tasks.Single().MessageId);
        result.ReceiveCount.Should().Be(1);
        seenTask!.EntityId.Should().Be("doc-ok");
        seenTask.TaskName.Should().Be("ocr");
        seenTask.TaskConfig.GetProperty("language").GetString().Should().Be("en");
        seenTask.Metadata.GetProperty("tenant").GetString().Should().Be("acme");
        seenTask.TotalTasks.Should().Be(1);
        seenContext!.MessageId.Should().Be(result.MessageId);
        seenContext.ReceiveCount.Should().Be(1);
        seenContext.MessageGroupId.Should().Be("doc-ok-ocr");
        status.Should().Be(new QueueStatus(Available: 0, InFlight: 0, Delayed: 0, DeadLetters: 0));
        afterVisibility.Should().BeEmpty("a deleted task does not come back after the visibility timeout");
    }

    [Fact]
    public async Task ProcessOneAsync_EmptyQueue_ReturnsNullWithoutRunningHandler()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        var ran = false;

        var result = await handler.ProcessOneAsync((_, _) =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        result.Should().BeNull();
        ran.Should().BeFalse();
    }

    [Fact]
    public async Task ProcessOneAsync_HandlerKeepsFailing_ComesBackThenLandsInDeadLetterQueue()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 3);
        var handler = CreateHandler(queues);
        var enqueued = await handler.EnqueueTasksAsync("doc-fail", [new TaskSpec("ocr")]);
        var results = new List<ProcessResult<bool>>();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            results.Add((await handler.ProcessOneAsync(Fail))!);
            await LetTimePassAsync(Visibility);
        }

        var afterMaxReceives = await handler.ProcessOneAsync(Fail);
        var status = await handler.GetQueueStatusAsync();

        results.Should().AllSatisfy(r =>
        {
            r.Should().NotBeNull();
            r.Outcome.Should().Be(ProcessOutcome.Failed);
            r.Deleted.Should().BeFalse();
            r.MessageId.Should().Be(enqueued.Tasks.Single().MessageId);
            r.Task!.TaskName.Should().Be("ocr");
            r.Error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("task failed on purpose");
        });
        results.Select(r => r.ReceiveCount).Should().Equal(1, 2, 3);
        afterMaxReceives.Should().BeNull("the receive after maxReceiveCount moves the task to the DLQ instead of delivering it");
        status.Should().Be(new QueueStatus(Available: 0, InFlight: 0, Delayed: 0, DeadLetters: 1));
    }

    [Fact]
    public async Task ProcessOneAsync_HandlerFailsBeforeVisibilityEnds_KeepsTaskHiddenUntilThen()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues, o => o.VisibilityTimeout = TimeSpan.FromSeconds(2));
        await handler.EnqueueTasksAsync("doc-hidden", [new TaskSpec("ocr")]);

        var failed = await handler.ProcessOneAsync(Fail);
        var whileHidden = await handler.ProcessOneAsync(Fail);
        var status = await handler.GetQueueStatusAsync();
        await LetTimePassAsync(TimeSpan.FromSeconds(2));
        var retried = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);

        failed!.Outcome.Should().Be(ProcessOutcome.Failed);
        whileHidden.Should().BeNull("a failed task stays hidden until its visibility timeout ends");
        status.Should().Be(new QueueStatus(Available: 0, InFlight: 1, Delayed: 0, DeadLetters: 0));
        retried!.Outcome.Should().Be(ProcessOutcome.Completed);
        retried.ReceiveCount.Should().Be(2);
        retried.Deleted.Should().BeTrue();
    }

    [Fact]
    public async Task ProcessOneAsync_HandlerFailsWithRetryBackoff_TaskComesBackAfterBackoffNotVisibilityTimeout()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues, o =>
        {
            o.VisibilityTimeout = TimeSpan.FromSeconds(20);
            o.RetryBackoff = new RetryBackoffOptions { InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 1, MaxDelay = TimeSpan.FromSeconds(1) };
        });
        await handler.EnqueueTasksAsync("doc-backoff", [new TaskSpec("ocr")]);

        var failed = await handler.ProcessOneAsync(Fail);
        await LetTimePassAsync(TimeSpan.FromSeconds(1));
        var retried = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);

        failed!.Outcome.Should().Be(ProcessOutcome.Failed);
        retried.Should().NotBeNull("the backoff of 1 s, not the 20 s visibility timeout, decides when the task comes back");
        retried!.ReceiveCount.Should().Be(2);
        retried.Outcome.Should().Be(ProcessOutcome.Completed);
    }

    [Fact]
    public async Task ProcessOneAsync_MessageArrivesDuringLongPoll_ReturnsSoonAfterArrival()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues, o => o.WaitTime = TimeSpan.FromSeconds(10));
        var started = Time.GetTimestamp();

        // On the server the elapsed time is real (Time is the system clock, a Stopwatch); on fake time the clock only
        // moves by the second let pass here, so completing at all proves the poll ended before its 10 s.
        var processing = handler.ProcessOneAsync((task, _) => Task.FromResult(task.EntityId));
        await LetTimePassAsync(TimeSpan.FromSeconds(1));
        var pendingBeforeSend = !processing.IsCompleted;
        var enqueued = await handler.EnqueueTasksAsync("doc-late", [new TaskSpec("ocr")]);
        var result = await processing.WaitAsync(Guard);
        var elapsed = Time.GetElapsedTime(started);

        pendingBeforeSend.Should().BeTrue("the poll waits while the queue is empty");
        result.Should().NotBeNull();
        result!.Value.Should().Be("doc-late");
        result.MessageId.Should().Be(enqueued.Tasks.Single().MessageId);
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "a long poll returns as soon as a message arrives, not after its 10 s");
    }

    [Fact]
    public async Task ProcessOneAsync_TwoTasksOfOneEntity_RunsEachOnceAndDeletesBoth()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        await handler.EnqueueTasksAsync("doc-two", [new TaskSpec("ocr"), new TaskSpec("classify")]);
        var ran = new List<string>();

        var first = await handler.ProcessOneAsync((task, _) => Task.FromResult(Record(ran, task)));
        var second = await handler.ProcessOneAsync((task, _) => Task.FromResult(Record(ran, task)));
        var third = await handler.ProcessOneAsync((task, _) => Task.FromResult(Record(ran, task)));

        first!.Deleted.Should().BeTrue();
        second!.Deleted.Should().BeTrue();
        third.Should().BeNull();
        ran.Should().BeEquivalentTo(["doc-two/ocr", "doc-two/classify"]);
        (await handler.GetQueueStatusAsync()).Should().Be(new QueueStatus(0, 0, 0, 0));
    }

    private static string Record(List<string> ran, TaskMessage task)
    {
        var name = $"{task.EntityId}/{task.TaskName}";
        ran.Add(name);
        return name;
    }
}
