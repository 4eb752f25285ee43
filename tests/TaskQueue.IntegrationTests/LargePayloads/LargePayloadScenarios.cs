using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.IntegrationTests.Handler;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.LargePayloads;

/// <summary>
/// Large task bodies end to end through TaskQueueHandler: stored, sent as a pointer, fetched and run, deleted after the
/// message; a missing object is poison; a dead letter keeps its object, is peeked without a fetch and redriven.
/// Run on each SQS backend with its store: the in-memory SQS with the in-memory store, the local server with its S3.
/// </summary>
public abstract class LargePayloadScenarios(ISqsBackend backend) : HandlerTestBase(backend)
{
    /// <summary>Larger than the 1,024-byte threshold the handlers here use.</summary>
    protected static readonly JsonElement LargeConfig = JsonSerializer.SerializeToElement(new { text = new string('x', 4_000), lang = "en" });

    /// <summary>The store under test.</summary>
    protected abstract IPayloadStore Store { get; }

    /// <summary>The bucket the handlers store bodies in.</summary>
    protected abstract Task<string> BucketAsync();

    /// <summary>True when the store has the object.</summary>
    protected async Task<bool> ExistsAsync(PayloadReference reference)
    {
        try
        {
            await (await Store.OpenReadAsync(reference.Bucket, reference.Key, CancellationToken.None)).DisposeAsync();
            return true;
        }
        catch (PayloadNotFoundException)
        {
            return false;
        }
    }

    protected async Task<TaskQueueHandler> CreateLargePayloadHandlerAsync(TestQueues queues, Action<TaskQueueOptions>? configure = null)
    {
        var options = new TaskQueueOptions
        {
            QueueUrl = queues.QueueUrl,
            WaitTime = TimeSpan.Zero,
            VisibilityTimeout = Visibility,
            RetryBackoff = new RetryBackoffOptions { Enabled = false },
        };
        options.LargePayloads.Bucket = await BucketAsync();
        options.LargePayloads.Threshold = 1_024;
        configure?.Invoke(options);
        return new TaskQueueHandler(Sqs, Options.Create(options), timeProvider: Time, payloadStore: Store);
    }

    /// <summary>The pointer of the one message in the queue, read by peeking at it with the plain client.</summary>
    private async Task<PayloadReference> PointerInQueueAsync(string queueUrl)
    {
        var received = (await Sqs.ReceiveMessagesAsync(queueUrl, new Sqs.ReceiveOptions(1, TimeSpan.Zero, TimeSpan.FromSeconds(1)))).Single();
        await Sqs.ChangeMessageVisibilityAsync(queueUrl, received.ReceiptHandle, TimeSpan.Zero);
        PayloadPointer.TryRead(received, out var reference, out _).Should().BeTrue();
        return reference!;
    }

    [Fact]
    public async Task LargeTask_IsStoredRunWithItsConfig_ThenMessageAndObjectDeleted()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = await CreateLargePayloadHandlerAsync(queues);
        var enqueued = await handler.EnqueueTasksAsync("doc-large", [new TaskSpec("ocr", LargeConfig), new TaskSpec("small")]);
        enqueued.AllSucceeded.Should().BeTrue();
        var reference = await PointerInQueueAsync(queues.QueueUrl);
        (await ExistsAsync(reference)).Should().BeTrue();

        var seen = new Dictionary<string, JsonElement>();
        for (var i = 0; i < 2; i++)
        {
            var result = await handler.ProcessOneAsync((task, _) => { seen[task.TaskName] = task.TaskConfig; return Task.CompletedTask; });
            result!.Outcome.Should().Be(ProcessOutcome.Completed);
            result.Deleted.Should().BeTrue();
        }

        seen["ocr"].GetProperty("text").GetString().Should().HaveLength(4_000);
        seen["small"].ValueKind.Should().Be(JsonValueKind.Object);
        (await ExistsAsync(reference)).Should().BeFalse("deleted after its message");
        (await handler.GetQueueStatusAsync()).Available.Should().Be(0);
    }

    [Fact]
    public async Task MissingObject_IsPoisonWithAReasonNamingBucketAndKey()
    {
        await using var queues = await CreateQueuesAsync();
        var handler = await CreateLargePayloadHandlerAsync(queues);
        await handler.EnqueueTasksAsync("doc-gone", [new TaskSpec("ocr", LargeConfig)]);
        var reference = await PointerInQueueAsync(queues.QueueUrl);
        await Store.DeleteAsync(reference.Bucket, reference.Key, CancellationToken.None);

        var result = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);

        result!.Outcome.Should().Be(ProcessOutcome.Poison);
        result.PoisonReason.Should().Contain($"s3://{reference.Bucket}/{reference.Key}");
        result.Deleted.Should().BeFalse("left for the redrive policy, as poison is by default");
    }

    [Fact]
    public async Task DeadLetteredLargeTask_KeepsItsObject_IsPeekedWithoutAFetch_AndRunsAfterARedrive()
    {
        // Room for the look at the pointer, which is a receive too; the handler dead-letters the task itself.
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 3);
        var handler = await CreateLargePayloadHandlerAsync(queues);
        await handler.EnqueueTasksAsync("doc-dlq", [new TaskSpec("ocr", LargeConfig)]);
        var reference = await PointerInQueueAsync(queues.QueueUrl);
        (await handler.ProcessOneAsync((_, _) => Task.FromResult(TaskOutcome.DeadLetter("later"))))!.Deleted.Should().BeTrue();

        var letter = (await PeekAsync(handler)).Should().ContainSingle().Subject;
        letter.EntityId.Should().Be("doc-dlq");
        letter.TaskName.Should().Be("ocr");
        letter.Payload.Should().Be(reference);
        letter.DeadLetterReason.Should().Be("later");
        (await ExistsAsync(reference)).Should().BeTrue("a dead letter keeps its body");

        var redrive = handler.RedriveDeadLettersAsync(new RedriveOptions { EntityId = "doc-dlq" });
        if (!redrive.IsCompleted)
        {
            await LetTimePassAsync(TimeSpan.FromSeconds(1));
        }

        (await redrive.WaitAsync(Guard)).Moved.Should().Be(1);
        var (result, task, _) = await ProcessCapturingAsync(handler);
        result.Deleted.Should().BeTrue();
        task.TaskConfig.GetProperty("lang").GetString().Should().Be("en");
        (await ExistsAsync(reference)).Should().BeFalse();
    }
}
