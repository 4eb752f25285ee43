using FluentAssertions;
using TaskQueue.Sqs;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Handler;

/// <summary>GetQueueStatusAsync: the counts match what the queue holds, task by task.</summary>
public abstract class HandlerQueueStatusTests(ISqsBackend backend) : HandlerTestBase(backend)
{
    [Fact]
    public async Task GetQueueStatusAsync_AfterEnqueue_CountsEveryTaskAsAvailable()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify"), new TaskSpec("yearBuilt")]);
        await handler.EnqueueTasksAsync("doc-2", [new TaskSpec("ocr"), new TaskSpec("classify")]);

        var status = await handler.GetQueueStatusAsync();

        status.Should().Be(new QueueStatus(Available: 5, InFlight: 0, Delayed: 0, DeadLetters: 0));
    }

    [Fact]
    public async Task GetQueueStatusAsync_WhileHandlerRuns_CountsItsTaskInFlight()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify"), new TaskSpec("yearBuilt")]);

        var result = await handler.ProcessOneAsync((_, _) => handler.GetQueueStatusAsync());
        var afterwards = await handler.GetQueueStatusAsync();

        result!.Value.Should().Be(new QueueStatus(Available: 2, InFlight: 1, Delayed: 0, DeadLetters: 0));
        afterwards.Should().Be(new QueueStatus(Available: 2, InFlight: 0, Delayed: 0, DeadLetters: 0));
    }

    [Fact]
    public async Task GetQueueStatusAsync_QueueWithDelaySeconds_CountsNewTasksAsDelayed()
    {
        await using var queues = await CreateQueuesAsync(attributes: new Dictionary<string, string>
        {
            [QueueAttributeNames.DelaySeconds] = "60",
        });
        var handler = CreateHandler(queues);
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify")]);

        var status = await handler.GetQueueStatusAsync();
        var processed = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);

        status.Should().Be(new QueueStatus(Available: 0, InFlight: 0, Delayed: 2, DeadLetters: 0));
        processed.Should().BeNull("a delayed task is not delivered yet");
    }

    [Fact]
    public async Task GetQueueStatusAsync_AfterFailedTask_CountsItInFlightUntilItIsDone()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = CreateHandler(queues);
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify")]);

        await handler.ProcessOneAsync(Fail);
        var afterFailure = await handler.GetQueueStatusAsync();
        await LetTimePassAsync(Visibility);
        // fauxqs only notices an ended visibility timeout on a receive, so the counts are read after the next receives.
        var retried = new[]
        {
            await handler.ProcessOneAsync((_, _) => Task.CompletedTask),
            await handler.ProcessOneAsync((_, _) => Task.CompletedTask),
        };
        var afterSuccess = await handler.GetQueueStatusAsync();

        afterFailure.Should().Be(new QueueStatus(Available: 1, InFlight: 1, Delayed: 0, DeadLetters: 0));
        retried.Select(r => r!.Task!.TaskName).Should().BeEquivalentTo(["ocr", "classify"]);
        retried.Select(r => r!.ReceiveCount).Should().BeEquivalentTo([1, 2], "the failed task came back once");
        afterSuccess.Should().Be(new QueueStatus(Available: 0, InFlight: 0, Delayed: 0, DeadLetters: 0));
    }
}
