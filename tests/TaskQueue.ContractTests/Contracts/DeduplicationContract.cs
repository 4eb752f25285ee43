using FluentAssertions;
using TaskQueue.TestSupport.Backends;
using TaskQueue.Sqs;

namespace TaskQueue.ContractTests.Contracts;

/// <summary>FIFO deduplication: a repeated deduplication id within 5 minutes is accepted but delivered once.</summary>
public abstract class DeduplicationContract(ISqsBackend backend) : SqsContract(backend)
{
    [Fact]
    public async Task SendMessageBatch_SameDeduplicationIdTwice_DeliversOnceAndReportsOriginalMessageId()
    {
        await using var queues = await CreateQueuesAsync();
        var original = await SendAsync(queues.QueueUrl, Message("g", "task", deduplicationId: "same"));

        var repeat = await SendAsync(queues.QueueUrl, Message("g", "task again", deduplicationId: "same"));
        var delivered = await ReceiveAndDeleteAsync(queues.QueueUrl, 2);

        repeat.Successful.Single().MessageId.Should().Be(original.Successful.Single().MessageId);
        delivered.Select(m => m.Body).Should().Equal("task");
    }

    [Fact]
    public async Task SendMessageBatch_DifferentDeduplicationIds_DeliversBoth()
    {
        await using var queues = await CreateQueuesAsync();

        await SendAsync(queues.QueueUrl, Message("g", "task", deduplicationId: "one"), Message("g", "task", deduplicationId: "two"));
        var delivered = await ReceiveAndDeleteAsync(queues.QueueUrl, 2);

        delivered.Should().HaveCount(2);
    }

    [Fact]
    public async Task SendMessageBatch_SameDeduplicationIdAfterDelete_IsStillDeduplicated()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "task", deduplicationId: "done-once"));
        await ReceiveAndDeleteAsync(queues.QueueUrl, 1);

        await SendAsync(queues.QueueUrl, Message("g", "task", deduplicationId: "done-once"));
        var redelivered = await ReceiveAsync(queues.QueueUrl);

        redelivered.Should().BeEmpty("the deduplication window outlives the message");
    }

    [Fact]
    public async Task SendMessageBatch_ContentBasedDeduplicationSameBody_DeliversOnce()
    {
        await using var queues = await CreateQueuesAsync(attributes: new Dictionary<string, string>
        {
            [QueueAttributeNames.ContentBasedDeduplication] = "true",
        });

        await SendAsync(queues.QueueUrl, new OutgoingMessage("a", "same body", "g"));
        await SendAsync(queues.QueueUrl, new OutgoingMessage("b", "same body", "g"), new OutgoingMessage("c", "other body", "g"));
        var delivered = await ReceiveAndDeleteAsync(queues.QueueUrl, 3);

        delivered.Select(m => m.Body).Should().Equal("same body", "other body");
    }

    [Fact]
    public async Task HighThroughputQueue_ReportsItsModeAndDeduplicatesWithinAGroup()
    {
        await using var queues = await CreateQueuesAsync(attributes: new Dictionary<string, string>
        {
            [QueueAttributeNames.DeduplicationScope] = "messageGroup",
            [QueueAttributeNames.FifoThroughputLimit] = "perMessageGroupId",
        });

        await SendAsync(queues.QueueUrl, Message("g", "task", deduplicationId: "same"));
        await SendAsync(queues.QueueUrl, Message("g", "task again", deduplicationId: "same"));
        var delivered = await ReceiveAndDeleteAsync(queues.QueueUrl, 2);
        var attributes = await Sqs.GetQueueAttributesAsync(queues.QueueUrl, [QueueAttributeNames.All]);

        delivered.Select(m => m.Body).Should().Equal("task");
        (attributes[QueueAttributeNames.DeduplicationScope], attributes[QueueAttributeNames.FifoThroughputLimit])
            .Should().Be(("messageGroup", "perMessageGroupId"));
    }
}
