using FluentAssertions;
using TaskQueue.TestSupport.Backends;
using TaskQueue.Sqs;

namespace TaskQueue.ContractTests.Contracts;

/// <summary>Visibility timeouts: a received message hides, comes back when its timeout runs out, and can be released or extended.</summary>
public abstract class VisibilityContract(ISqsBackend backend) : SqsContract(backend)
{
    [Fact]
    public async Task Receive_BeforeVisibilityTimeoutExpires_ReturnsNothing()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "task"));
        await ReceiveAsync(queues.QueueUrl);

        var again = await ReceiveAsync(queues.QueueUrl);

        again.Should().BeEmpty();
    }

    [Fact]
    public async Task Receive_AfterVisibilityTimeoutExpires_ReturnsMessageWithReceiveCountTwo()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "task"));
        var first = (await ReceiveAsync(queues.QueueUrl)).Single();

        await Backend.LetTimePassAsync(Visibility);
        var again = (await ReceiveAsync(queues.QueueUrl)).Single();

        again.MessageId.Should().Be(first.MessageId);
        again.ReceiveCount.Should().Be(2);
        again.ReceiptHandle.Should().NotBe(first.ReceiptHandle);
    }

    [Fact]
    public async Task ChangeMessageVisibility_ToZero_MakesMessageReceivableAtOnce()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "task"));
        var first = (await ReceiveAsync(queues.QueueUrl)).Single();

        await Sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, first.ReceiptHandle, TimeSpan.Zero);
        var again = await ReceiveAsync(queues.QueueUrl);

        again.Should().ContainSingle().Which.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ChangeMessageVisibility_Extended_KeepsMessageHiddenPastOriginalTimeout()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "task"));
        var first = (await ReceiveAsync(queues.QueueUrl)).Single();

        await Sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, first.ReceiptHandle, Visibility * 2);
        await Backend.LetTimePassAsync(Visibility);
        var whileExtended = await ReceiveAsync(queues.QueueUrl);
        await Backend.LetTimePassAsync(Visibility);
        var afterExtension = await ReceiveAsync(queues.QueueUrl);

        whileExtended.Should().BeEmpty();
        afterExtension.Should().ContainSingle().Which.MessageId.Should().Be(first.MessageId);
    }

    [Fact]
    public async Task ChangeMessageVisibilityBatch_OneInvalidHandle_FailsOnlyThatEntry()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "task"));
        var received = (await ReceiveAsync(queues.QueueUrl)).Single();

        var result = await Sqs.ChangeMessageVisibilityBatchAsync(queues.QueueUrl,
        [
            new VisibilityChangeEntry("good", received.ReceiptHandle, TimeSpan.Zero),
            new VisibilityChangeEntry("bad", "not-a-receipt-handle", TimeSpan.Zero),
        ]);

        result.SuccessfulIds.Should().Equal("good");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchEntryFailure>(f => f.Id == "bad" && f.Code.Contains("ReceiptHandleIsInvalid"));
    }

    [Fact]
    public async Task DeleteMessageBatch_HandlesOfTwoGroups_DeletesBoth()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("a", "task-a"), Message("b", "task-b"));
        var received = await ReceiveAndHoldAsync(queues.QueueUrl, 2);

        var result = await Sqs.DeleteMessageBatchAsync(queues.QueueUrl,
            [new ReceiptEntry("first", received[0].ReceiptHandle), new ReceiptEntry("second", received[1].ReceiptHandle)]);
        await Backend.LetTimePassAsync(Visibility);

        result.SuccessfulIds.Should().BeEquivalentTo(["first", "second"]);
        result.Failed.Should().BeEmpty();
        (await ReceiveAsync(queues.QueueUrl)).Should().BeEmpty("both messages were deleted");
    }

    [Fact]
    public async Task ChangeMessageVisibility_HandleFromEarlierReceive_Throws()
    {
        await using var queues = await CreateQueuesAsync();
        await SendAsync(queues.QueueUrl, Message("g", "task"));
        var first = (await ReceiveAsync(queues.QueueUrl)).Single();
        await Backend.LetTimePassAsync(Visibility);
        (await ReceiveAsync(queues.QueueUrl)).Should().ContainSingle("the message came back");

        var change = () => Sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, first.ReceiptHandle, Visibility);

        // AWS and the in-memory SQS say ReceiptHandleIsInvalid; fauxqs says MessageNotInflight.
        await change.Should().ThrowAsync<SqsRequestException>();
    }

    /// <summary>Receives without deleting until <paramref name="count"/> messages (of different groups) are in flight.</summary>
    private async Task<List<ReceivedMessage>> ReceiveAndHoldAsync(string queueUrl, int count)
    {
        var held = new List<ReceivedMessage>();
        for (var attempt = 0; attempt < count * 3 && held.Count < count; attempt++)
        {
            held.AddRange(await ReceiveAsync(queueUrl));
        }

        held.Should().HaveCount(count);
        return held;
    }
}
