using FluentAssertions;
using TaskQueue.TestSupport.Backends;
using TaskQueue.Sqs;

namespace TaskQueue.ContractTests.Contracts;

/// <summary>Redrive: after maxReceiveCount receives, the next receive moves the message to the dead-letter queue.</summary>
public abstract class RedriveContract(ISqsBackend backend) : SqsContract(backend)
{
    [Fact]
    public async Task Receive_AfterMaxReceiveCount_MovesMessageToDeadLetterQueue()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 2);
        await SendAsync(queues.QueueUrl, Message("g", "poison"));

        await ReceiveAndReleaseAsync(queues.QueueUrl);
        await ReceiveAndReleaseAsync(queues.QueueUrl);
        var afterMax = await ReceiveAsync(queues.QueueUrl);
        var deadLetters = await ReceiveAndDeleteAsync(queues.DeadLetterQueueUrl, 1);

        afterMax.Should().BeEmpty("the third receive moves the message instead of delivering it");
        deadLetters.Select(m => m.Body).Should().Equal("poison");
    }

    [Fact]
    public async Task Receive_BelowMaxReceiveCount_KeepsDeliveringFromSourceQueue()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 3);
        await SendAsync(queues.QueueUrl, Message("g", "flaky"));

        await ReceiveAndReleaseAsync(queues.QueueUrl);
        await ReceiveAndReleaseAsync(queues.QueueUrl);
        var third = await ReceiveAsync(queues.QueueUrl);

        third.Should().ContainSingle().Which.ReceiveCount.Should().Be(3);
        (await ReceiveAsync(queues.DeadLetterQueueUrl)).Should().BeEmpty();
    }

    [Fact]
    public async Task Receive_RedrivenMessage_KeepsIdBodyGroupAndAttributes()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 1);
        var sent = await SendAsync(queues.QueueUrl, Message("entity-1", "poison", attributes: new Dictionary<string, string> { ["task_name"] = "parse" }));

        await ReceiveAndReleaseAsync(queues.QueueUrl);
        (await ReceiveAsync(queues.QueueUrl)).Should().BeEmpty();
        var deadLetter = (await ReceiveAsync(queues.DeadLetterQueueUrl)).Single();

        deadLetter.MessageId.Should().Be(sent.Successful.Single().MessageId);
        deadLetter.Body.Should().Be("poison");
        deadLetter.MessageGroupId.Should().Be("entity-1");
        deadLetter.Attributes.Should().Contain("task_name", "parse");
    }

    [Fact]
    public async Task Receive_RedriveOfGroupHead_DeliversNextMessageOfGroupInOrder()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 1);
        await SendAsync(queues.QueueUrl, Message("g", "poison"), Message("g", "healthy"));
        var poison = await ReceiveAsync(queues.QueueUrl, maxMessages: 1);
        await Sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, poison.Single().ReceiptHandle, TimeSpan.Zero);

        var next = await ReceiveAndDeleteAsync(queues.QueueUrl, 1);

        poison.Single().Body.Should().Be("poison");
        next.Select(m => m.Body).Should().Equal("healthy");
    }

    /// <summary>One receive of the single message, then visibility 0 so the next receive counts again without waiting.</summary>
    private async Task ReceiveAndReleaseAsync(string queueUrl)
    {
        var received = (await ReceiveAsync(queueUrl)).Should().ContainSingle().Subject;
        await Sqs.ChangeMessageVisibilityAsync(queueUrl, received.ReceiptHandle, TimeSpan.Zero);
    }
}
