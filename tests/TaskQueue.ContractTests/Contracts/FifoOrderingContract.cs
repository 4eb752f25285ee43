using FluentAssertions;
using TaskQueue.Sqs;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.ContractTests.Contracts;

/// <summary>FIFO delivery: order within a group, one group member in flight at a time, groups independent of each other.</summary>
public abstract class FifoOrderingContract(ISqsBackend backend) : SqsContract(backend)
{
    [Fact]
    public async Task Receive_MessagesOfOneGroup_DeliversThemInSendOrder()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "first"), Message("g", "second"), Message("g", "third"));
        await SendAsync(queues.QueueUrl, Message("g", "fourth"));

        var delivered = await ReceiveAndDeleteAsync(queues.QueueUrl, 4);

        delivered.Select(m => m.Body).Should().Equal("first", "second", "third", "fourth");
    }

    [Fact]
    public async Task Receive_GroupWithMessageInFlight_WithholdsTheRestOfThatGroup()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "first"), Message("g", "second"));

        var first = await ReceiveAsync(queues.QueueUrl, maxMessages: 1);
        var whileInFlight = await ReceiveAsync(queues.QueueUrl);

        first.Select(m => m.Body).Should().Equal("first");
        whileInFlight.Should().BeEmpty("the group's first message is still in flight");
    }

    [Fact]
    public async Task Receive_AfterInFlightMessageDeleted_DeliversNextMessageOfGroup()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "first"), Message("g", "second"));
        var first = await ReceiveAsync(queues.QueueUrl, maxMessages: 1);

        await Sqs.DeleteMessageAsync(queues.QueueUrl, first.Single().ReceiptHandle);
        var next = await ReceiveAsync(queues.QueueUrl);

        next.Select(m => m.Body).Should().Equal("second");
    }

    [Fact]
    public async Task Receive_TwoGroups_DeliversBothWhileEachHasMessageInFlight()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("a", "a1"), Message("a", "a2"), Message("b", "b1"), Message("b", "b2"));

        // No deletes: each group stays locked by what it has in flight, yet both groups must have been served.
        var delivered = new List<string>();
        for (var receive = 0; receive < 3; receive++)
        {
            delivered.AddRange((await ReceiveAsync(queues.QueueUrl)).Select(m => m.Body));
        }

        delivered.Should().Contain("a1").And.Contain("b1");
        delivered.Where(body => body.StartsWith('a')).Should().BeSubsetOf(["a1", "a2"]).And.BeInAscendingOrder();
        delivered.Where(body => body.StartsWith('b')).Should().BeSubsetOf(["b1", "b2"]).And.BeInAscendingOrder();
        delivered.Should().OnlyHaveUniqueItems("nothing in flight may be delivered twice");
    }

    [Fact]
    public async Task Receive_ReturnsMessageGroupAndFifoSystemAttributes()
    {
        await using var queues = await CreateQueuesAsync();
        var sent = await SendAsync(queues.QueueUrl, Message("group-7", "body", deduplicationId: "dedup-7"));

        var received = (await ReceiveAsync(queues.QueueUrl)).Single();

        received.MessageId.Should().Be(sent.Successful.Single().MessageId);
        received.MessageGroupId.Should().Be("group-7");
        received.ReceiveCount.Should().Be(1);
        received.SentTimestamp.Should().NotBeNull();
        received.SystemAttributes.Should().Contain("MessageDeduplicationId", "dedup-7");
        received.SystemAttributes.Should().ContainKey("SequenceNumber");
    }

    [Fact]
    public async Task Receive_AttemptIdAndNamedSystemAttributes_ReturnsTheMessageWithOnlyThoseAttributes()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("group-8", "body"));

        var received = await Sqs.ReceiveMessagesAsync(queues.QueueUrl, new ReceiveOptions(10, TimeSpan.Zero)
        {
            ReceiveRequestAttemptId = Guid.NewGuid().ToString("N"),
            SystemAttributes = [SystemAttributeNames.ApproximateReceiveCount, SystemAttributeNames.MessageGroupId],
        });

        received.Single().SystemAttributes.Keys.Should().BeEquivalentTo(
            [SystemAttributeNames.ApproximateReceiveCount, SystemAttributeNames.MessageGroupId]);
        received.Single().ReceiveCount.Should().Be(1);
        received.Single().MessageGroupId.Should().Be("group-8");
    }
}
