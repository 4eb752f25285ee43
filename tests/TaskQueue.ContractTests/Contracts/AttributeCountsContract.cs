using FluentAssertions;
using TaskQueue.TestSupport.Backends;
using TaskQueue.Sqs;

namespace TaskQueue.ContractTests.Contracts;

/// <summary>Queue attributes: message counts by state, and the queue's identity.</summary>
public abstract class AttributeCountsContract(ISqsBackend backend) : SqsContract(backend)
{
    [Fact]
    public async Task GetQueueAttributes_AfterSends_CountsAvailableMessages()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("a", "1"), Message("a", "2"), Message("b", "3"));

        var available = await CountAsync(queues.QueueUrl, QueueAttributeNames.ApproximateNumberOfMessages);
        var inFlight = await CountAsync(queues.QueueUrl, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible);

        available.Should().Be(3);
        inFlight.Should().Be(0);
    }

    [Fact]
    public async Task GetQueueAttributes_AfterReceive_CountsReceivedMessagesAsInFlight()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("a", "1"), Message("b", "2"), Message("c", "3"));
        var received = (await ReceiveAsync(queues.QueueUrl, maxMessages: 1)).Count;

        var available = await CountAsync(queues.QueueUrl, QueueAttributeNames.ApproximateNumberOfMessages);
        var inFlight = await CountAsync(queues.QueueUrl, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible);

        received.Should().Be(1);
        available.Should().Be(2);
        inFlight.Should().Be(1);
    }

    [Fact]
    public async Task GetQueueAttributes_AfterDelete_CountsNothing()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("a", "1"));
        await ReceiveAndDeleteAsync(queues.QueueUrl, 1);

        var attributes = await Sqs.GetQueueAttributesAsync(queues.QueueUrl,
            [QueueAttributeNames.ApproximateNumberOfMessages, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible]);

        attributes.Should().Contain(QueueAttributeNames.ApproximateNumberOfMessages, "0")
            .And.Contain(QueueAttributeNames.ApproximateNumberOfMessagesNotVisible, "0");
    }

    [Fact]
    public async Task GetQueueAttributes_QueueWithDelay_CountsNewMessagesAsDelayed()
    {
        await using var queues = await CreateQueuesAsync(attributes: new Dictionary<string, string>
        {
            [QueueAttributeNames.DelaySeconds] = "60",
        });
        await SendAsync(queues.QueueUrl, Message("a", "1"), Message("b", "2"));

        var delayed = await CountAsync(queues.QueueUrl, QueueAttributeNames.ApproximateNumberOfMessagesDelayed);
        var available = await CountAsync(queues.QueueUrl, QueueAttributeNames.ApproximateNumberOfMessages);

        delayed.Should().Be(2);
        available.Should().Be(0);
        (await ReceiveAsync(queues.QueueUrl)).Should().BeEmpty("delayed messages are not delivered yet");
    }

    [Fact]
    public async Task GetQueueAttributes_All_ReportsArnFifoAndConfiguredAttributes()
    {
        await using var queues = await CreateQueuesAsync(maxReceiveCount: 4);

        var attributes = await Sqs.GetQueueAttributesAsync(queues.QueueUrl, [QueueAttributeNames.All]);

        attributes.Should().Contain(QueueAttributeNames.FifoQueue, "true");
        attributes.Should().Contain(QueueAttributeNames.VisibilityTimeout, "2");
        attributes[QueueAttributeNames.QueueArn].Should().EndWith(":" + queues.QueueName);
        attributes[QueueAttributeNames.RedrivePolicy].Should().Contain(queues.DeadLetterQueueName).And.Contain("4");
    }

    [Fact]
    public async Task GetQueueUrl_ExistingQueue_ReturnsItsUrl()
    {
        await using var queues = await CreateQueuesAsync();

        var url = await Sqs.GetQueueUrlAsync(queues.QueueName);

        url.Should().Be(queues.QueueUrl);
    }

    [Fact]
    public async Task GetQueueUrl_UnknownQueue_ThrowsQueueDoesNotExist()
    {
        var lookup = () => Sqs.GetQueueUrlAsync($"missing-{Guid.NewGuid():N}.fifo");

        await lookup.Should().ThrowAsync<QueueDoesNotExistException>();
    }
}
