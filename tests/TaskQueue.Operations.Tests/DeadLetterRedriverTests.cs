using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests;

/// <summary>Redrive on both backends: dead letters are enqueued straight into the DLQ in the task wire format.</summary>
public sealed class DeadLetterRedriverTests
{
    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task Redrive_NoFilter_MovesEveryDeadLetterBackWithItsGroup(string backend)
    {
        var sqs = Backends.Create(backend);
        await using var queues = await TestQueues.CreateAsync(sqs);
        await SeedAsync(sqs, queues);

        var result = await Handler(sqs, queues).RedriveDeadLettersAsync();

        result.Moved.Should().Be(3);
        result.Skipped.Should().Be(0);
        result.Failed.Should().BeEmpty();
        var moved = await DrainAsync(sqs, queues.QueueUrl);
        moved.Select(m => m.MessageGroupId).Should().BeEquivalentTo(["doc-1-ocr", "doc-1-classify", "doc-2-ocr"]);
        (await DrainAsync(sqs, queues.DeadLetterQueueUrl)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task Redrive_EntityAndTaskFilter_MovesOnlyMatchingAndLeavesTheRest(string backend)
    {
        var sqs = Backends.Create(backend);
        await using var queues = await TestQueues.CreateAsync(sqs);
        await SeedAsync(sqs, queues);

        var result = await Handler(sqs, queues).RedriveDeadLettersAsync(new RedriveOptions { EntityId = "doc-1", TaskName = "ocr" });

        result.Moved.Should().Be(1);
        result.Skipped.Should().Be(2);
        result.Matched.Should().ContainSingle().Which.Should().Match<DeadLetterMessage>(m => m.EntityId == "doc-1" && m.TaskName == "ocr");
        (await DrainAsync(sqs, queues.QueueUrl)).Should().ContainSingle().Which.MessageGroupId.Should().Be("doc-1-ocr");
        (await DrainAsync(sqs, queues.DeadLetterQueueUrl)).Should().HaveCount(2, "the skipped dead letters were released, not moved");
    }

    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task Redrive_DryRun_ListsWhatWouldMoveAndMovesNothing(string backend)
    {
        var sqs = Backends.Create(backend);
        await using var queues = await TestQueues.CreateAsync(sqs);
        await SeedAsync(sqs, queues);

        var result = await Handler(sqs, queues).RedriveDeadLettersAsync(new RedriveOptions { EntityId = "doc-1", DryRun = true });

        result.DryRun.Should().BeTrue();
        result.Moved.Should().Be(0);
        result.Matched.Select(m => m.TaskName).Should().BeEquivalentTo(["ocr", "classify"]);
        result.Skipped.Should().Be(1);
        (await DrainAsync(sqs, queues.QueueUrl)).Should().BeEmpty();
        (await DrainAsync(sqs, queues.DeadLetterQueueUrl)).Should().HaveCount(3, "a dry run releases everything at once");
    }

    [Theory]
    [MemberData(nameof(Backends.Names), MemberType = typeof(Backends))]
    public async Task Redrive_Repeated_DoesNotDuplicateWithinTheDeduplicationWindow(string backend)
    {
        var sqs = Backends.Create(backend);
        await using var queues = await TestQueues.CreateAsync(sqs);
        await Handler(sqs, queues, queues.DeadLetterQueueUrl).EnqueueTasksAsync("doc-1", [new TaskSpec("ocr")]);
        var letter = (await sqs.ReceiveMessagesAsync(queues.DeadLetterQueueUrl, new ReceiveOptions(1, TimeSpan.FromSeconds(1), TimeSpan.Zero)))[0];

        // What a crash between send and delete leaves behind: the message sent once already, still in the DLQ.
        await sqs.SendMessageBatchAsync(queues.QueueUrl, [new OutgoingMessage("0", letter.Body, letter.MessageGroupId, "redrive-" + letter.MessageId)]);
        var result = await Handler(sqs, queues).RedriveDeadLettersAsync();

        result.Moved.Should().Be(1);
        (await DrainAsync(sqs, queues.QueueUrl)).Should().ContainSingle("the second send had the same deduplication id");
    }

    [Fact]
    public async Task Redrive_NoDeadLetterQueue_ThrowsInvalidOperation()
    {
        var sqs = Backends.Create("in-memory");
        var url = await sqs.CreateQueueAsync("lonely.fifo", new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" });
        var handler = new TaskQueueHandler(sqs, Options.Create(new TaskQueueOptions { QueueUrl = url }));

        var redrive = () => handler.RedriveDeadLettersAsync();

        await redrive.Should().ThrowAsync<InvalidOperationException>().WithMessage("*has no dead-letter queue*");
    }

    private static TaskQueueHandler Handler(ISqsClient sqs, TestQueues queues, string? queueUrl = null) =>
        new(sqs, Options.Create(new TaskQueueOptions { QueueUrl = queueUrl ?? queues.QueueUrl, DeadLetterQueueUrl = queues.DeadLetterQueueUrl }));

    private static async Task SeedAsync(ISqsClient sqs, TestQueues queues)
    {
        var intoDlq = Handler(sqs, queues, queues.DeadLetterQueueUrl);
        (await intoDlq.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify")])).AllSucceeded.Should().BeTrue();
        (await intoDlq.EnqueueTasksAsync("doc-2", [new TaskSpec("ocr")])).AllSucceeded.Should().BeTrue();
    }

    /// <summary>Receives and deletes everything in the queue.</summary>
    private static async Task<List<ReceivedMessage>> DrainAsync(ISqsClient sqs, string queueUrl)
    {
        var all = new List<ReceivedMessage>();
        while (true)
        {
            var page = await sqs.ReceiveMessagesAsync(queueUrl, new ReceiveOptions(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
            foreach (var message in page)
            {
                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }
    }
}
