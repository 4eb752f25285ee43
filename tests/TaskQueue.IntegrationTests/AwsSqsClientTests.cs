using System.Text;
using FluentAssertions;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;
using Xunit;

namespace TaskQueue.IntegrationTests;

/// <summary>AwsSqsClient against the SQS-compatible server of the test run (see tests/run.sh).</summary>
public sealed class AwsSqsClientTests
{
    private static readonly ReceiveOptions ReceiveTen = new(10, TimeSpan.FromSeconds(1));

    private readonly AwsSqsClient _sqs = LocalSqsServer.CreateClient();

    [Fact]
    public async Task SendMessageBatch_ThenReceive_ReturnsBodyAttributesGroupAndReceiveCount()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);
        var attributes = new Dictionary<string, string> { ["entity_id"] = "doc-1", ["task_name"] = "yearBuilt" };

        var sent = await _sqs.SendMessageBatchAsync(queues.QueueUrl,
        [
            new OutgoingMessage("a", """{"entity_id":"doc-1"}""", "doc-1-yearBuilt", "dedup-a", attributes),
            new OutgoingMessage("b", "second", "doc-2-yearBuilt", "dedup-b"),
        ]);
        var received = await ReceiveAllAsync(queues.QueueUrl, expected: 2);

        sent.Failed.Should().BeEmpty();
        sent.Successful.Select(s => s.Id).Should().BeEquivalentTo(["a", "b"]);
        sent.Successful.Should().OnlyContain(s => s.MessageId.Length > 0 && s.SequenceNumber != null);
        var first = received.Single(m => m.MessageId == sent.Successful.Single(s => s.Id == "a").MessageId);
        first.Body.Should().Be("""{"entity_id":"doc-1"}""");
        first.Attributes.Should().BeEquivalentTo(attributes);
        first.MessageGroupId.Should().Be("doc-1-yearBuilt");
        first.ReceiveCount.Should().Be(1);
        first.SystemAttributes.Should().ContainKey(SystemAttributeNames.SentTimestamp)
            .And.Contain(SystemAttributeNames.MessageDeduplicationId, "dedup-a");
        first.SentTimestamp.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        received.Single(m => m.Body == "second").Attributes.Should().BeEmpty();
    }

    [Fact]
    public async Task SendMessageBatch_SameDeduplicationIdTwice_DeliversOnce()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);

        var first = await _sqs.SendMessageBatchAsync(queues.QueueUrl, [new OutgoingMessage("1", "body", "g", "same-id")]);
        var second = await _sqs.SendMessageBatchAsync(queues.QueueUrl, [new OutgoingMessage("1", "body again", "g", "same-id")]);
        var received = await ReceiveAllAsync(queues.QueueUrl, expected: 1);

        second.Failed.Should().BeEmpty("SQS accepts a duplicate and drops it silently");
        second.Successful.Single().MessageId.Should().Be(first.Successful.Single().MessageId);
        received.Should().ContainSingle().Which.Body.Should().Be("body");
        (await _sqs.ReceiveMessagesAsync(queues.QueueUrl, ReceiveTen)).Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteMessageBatch_ReceivedMessages_RemovesThemFromTheQueue()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs, visibilityTimeout: TimeSpan.FromSeconds(1));
        await SendAsync(queues.QueueUrl, ("g1", "one"), ("g2", "two"), ("g3", "three"));
        var received = await ReceiveAllAsync(queues.QueueUrl, expected: 3);

        var result = await _sqs.DeleteMessageBatchAsync(queues.QueueUrl,
            received.Select((m, i) => new ReceiptEntry($"e{i}", m.ReceiptHandle)).ToList());
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the 1 s visibility timeout: an undeleted message would be back

        result.Failed.Should().BeEmpty();
        result.SuccessfulIds.Should().BeEquivalentTo(["e0", "e1", "e2"]);
        (await _sqs.ReceiveMessagesAsync(queues.QueueUrl, ReceiveTen)).Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteMessage_ReceivedMessage_RemovesIt()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs, visibilityTimeout: TimeSpan.FromSeconds(1));
        await SendAsync(queues.QueueUrl, ("g", "one"));
        var message = (await ReceiveAllAsync(queues.QueueUrl, expected: 1)).Single();

        await _sqs.DeleteMessageAsync(queues.QueueUrl, message.ReceiptHandle);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        (await _sqs.ReceiveMessagesAsync(queues.QueueUrl, ReceiveTen)).Should().BeEmpty();
    }

    [Fact]
    public async Task ChangeMessageVisibility_ToZero_MakesMessageVisibleAgain()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs, visibilityTimeout: TimeSpan.FromMinutes(5));
        await SendAsync(queues.QueueUrl, ("g", "one"));
        var first = (await ReceiveAllAsync(queues.QueueUrl, expected: 1)).Single();

        await _sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, first.ReceiptHandle, TimeSpan.Zero);
        var again = await _sqs.ReceiveMessagesAsync(queues.QueueUrl, ReceiveTen);

        again.Should().ContainSingle().Which.Should().Match<ReceivedMessage>(m => m.MessageId == first.MessageId && m.ReceiveCount == 2);
    }

    [Fact]
    public async Task ChangeMessageVisibilityBatch_ToZero_MakesMessagesVisibleAgain()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs, visibilityTimeout: TimeSpan.FromMinutes(5));
        await SendAsync(queues.QueueUrl, ("g1", "one"), ("g2", "two"));
        var received = await ReceiveAllAsync(queues.QueueUrl, expected: 2);

        var result = await _sqs.ChangeMessageVisibilityBatchAsync(queues.QueueUrl,
            received.Select((m, i) => new VisibilityChangeEntry($"v{i}", m.ReceiptHandle, TimeSpan.Zero)).ToList());
        var again = await ReceiveAllAsync(queues.QueueUrl, expected: 2);

        result.Failed.Should().BeEmpty();
        result.SuccessfulIds.Should().BeEquivalentTo(["v0", "v1"]);
        again.Select(m => m.MessageId).Should().BeEquivalentTo(received.Select(m => m.MessageId));
    }

    [Fact]
    public async Task ReceiveMessages_VisibilityTimeoutGiven_HidesMessageForThatLong()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs, visibilityTimeout: TimeSpan.FromMinutes(5));
        await SendAsync(queues.QueueUrl, ("g", "one"));

        // 0.2 s is sent as 1 s: SQS takes whole seconds, and rounding down to 0 would not hide the message at all.
        var first = await _sqs.ReceiveMessagesAsync(queues.QueueUrl, new ReceiveOptions(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.2)));
        var whileHidden = await _sqs.ReceiveMessagesAsync(queues.QueueUrl, new ReceiveOptions(1, TimeSpan.Zero));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var afterTimeout = await _sqs.ReceiveMessagesAsync(queues.QueueUrl, new ReceiveOptions(1, TimeSpan.Zero));

        first.Should().ContainSingle();
        whileHidden.Should().BeEmpty();
        afterTimeout.Should().ContainSingle().Which.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task GetQueueAttributes_AfterSendAndReceive_CountsVisibleAndInFlightMessages()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);
        await SendAsync(queues.QueueUrl, ("g1", "one"), ("g2", "two"), ("g3", "three"));
        await _sqs.ReceiveMessagesAsync(queues.QueueUrl, new ReceiveOptions(1, TimeSpan.FromSeconds(1)));

        var attributes = await _sqs.GetQueueAttributesAsync(queues.QueueUrl,
            [QueueAttributeNames.ApproximateNumberOfMessages, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible]);

        attributes.Should().Contain(QueueAttributeNames.ApproximateNumberOfMessages, "2")
            .And.Contain(QueueAttributeNames.ApproximateNumberOfMessagesNotVisible, "1");
    }

    [Fact]
    public async Task GetQueueAttributes_All_ReturnsFifoQueueAndRedrivePolicy()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs, maxReceiveCount: 4);

        var attributes = await _sqs.GetQueueAttributesAsync(queues.QueueUrl, [QueueAttributeNames.All]);
        var deadLetterArn = (await _sqs.GetQueueAttributesAsync(queues.DeadLetterQueueUrl, [QueueAttributeNames.QueueArn]))[QueueAttributeNames.QueueArn];

        attributes.Should().Contain(QueueAttributeNames.FifoQueue, "true");
        attributes[QueueAttributeNames.RedrivePolicy].Should().Contain(deadLetterArn).And.Contain("4");
    }

    [Fact]
    public async Task ReceiveMessages_MoreReceivesThanMaxReceiveCount_MovesMessageToDeadLetterQueue()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs, maxReceiveCount: 2);
        await SendAsync(queues.QueueUrl, ("g", "poison"));

        for (var receive = 0; receive < 2; receive++)
        {
            var message = (await ReceiveAllAsync(queues.QueueUrl, expected: 1)).Single();
            await _sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, message.ReceiptHandle, TimeSpan.Zero);
        }

        var third = await _sqs.ReceiveMessagesAsync(queues.QueueUrl, ReceiveTen);
        var dead = await ReceiveAllAsync(queues.DeadLetterQueueUrl, expected: 1);

        third.Should().BeEmpty();
        dead.Should().ContainSingle().Which.Body.Should().Be("poison");
    }

    [Fact]
    public async Task GetQueueUrl_MissingQueue_ThrowsQueueDoesNotExistNamingTheQueue()
    {
        var name = $"t-missing-{Guid.NewGuid():N}.fifo";

        var act = () => _sqs.GetQueueUrlAsync(name);

        (await act.Should().ThrowAsync<QueueDoesNotExistException>())
            .WithMessage($"GetQueueUrl failed: queue {name} does not exist: create it (taskqueue queues create) or check the URL and region.");
    }

    [Fact]
    public async Task ReceiveMessages_DeletedQueue_ThrowsQueueDoesNotExistNamingTheUrl()
    {
        var queues = await TestQueues.CreateAsync(_sqs);
        await queues.DisposeAsync();

        var act = () => _sqs.ReceiveMessagesAsync(queues.QueueUrl, ReceiveTen);

        (await act.Should().ThrowAsync<QueueDoesNotExistException>()).Which.Message.Should().Contain(queues.QueueUrl);
    }

    [Fact]
    public async Task GetQueueUrl_CreatedQueue_ReturnsItsUrl()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);

        var url = await _sqs.GetQueueUrlAsync(queues.QueueName);

        url.Should().Be(queues.QueueUrl);
    }

    [Fact]
    public async Task SendMessageBatch_DeduplicationIdTooLong_NeverFailsTheOtherEntries()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);

        // AWS rejects ids over 128 characters; fauxqs accepts them. Either way the batch call itself succeeds.
        var result = await _sqs.SendMessageBatchAsync(queues.QueueUrl,
        [
            new OutgoingMessage("good", "ok", "g", "fine"),
            new OutgoingMessage("bad", "not ok", "g", new string('x', 129)),
        ]);

        result.Successful.Should().Contain(s => s.Id == "good");
        result.Failed.Should().NotContain(f => f.Id == "good");
        result.Successful.Select(s => s.Id).Concat(result.Failed.Select(f => f.Id)).Should().BeEquivalentTo(["good", "bad"]);
        result.Failed.Where(f => !f.SenderFault).Should().BeEmpty();
    }

    [Fact]
    public async Task SendMessageBatch_EntryOverMaximumMessageSize_FailsThatEntryAsTooLarge()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs, attributes: new Dictionary<string, string>
        {
            [QueueAttributeNames.MaximumMessageSize] = "1024",
        });

        var result = await _sqs.SendMessageBatchAsync(queues.QueueUrl,
        [
            new OutgoingMessage("small", "ok", "g", "small"),
            new OutgoingMessage("big", new string('x', 2048), "g", "big"),
        ]);

        result.Successful.Should().ContainSingle().Which.Id.Should().Be("small");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchEntryFailure>(
            f => f.Id == "big" && f.Code == "InvalidParameterValue" && f.SenderFault);
    }

    [Fact]
    public async Task SendMessageBatch_BatchOverOneMebibyte_ThrowsMessageTooLarge()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);
        var body = new string('x', 200 * 1024);

        var act = () => _sqs.SendMessageBatchAsync(queues.QueueUrl,
            Enumerable.Range(0, 6).Select(i => new OutgoingMessage($"m{i}", body, "g", $"d{i}")).ToList());

        (await act.Should().ThrowAsync<MessageTooLargeException>())
            .Which.Message.Should().StartWith($"SendMessageBatch on queue {queues.QueueUrl} was rejected as too large");
    }

    [Fact]
    public async Task SendMessageBatch_InvalidEntryId_ThrowsSqsRequestExceptionWithErrorCode()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);

        var act = () => _sqs.SendMessageBatchAsync(queues.QueueUrl, [new OutgoingMessage("not valid!", "body", "g", "d")]);

        var error = (await act.Should().ThrowAsync<SqsRequestException>()).Which;
        error.ErrorCode.Should().Contain("InvalidBatchEntryId");
        error.IsTransient.Should().BeFalse();
        error.Message.Should().StartWith($"SendMessageBatch on queue {queues.QueueUrl} failed (").And.NotContain("\n");
    }

    [Fact]
    public async Task DeleteMessageBatch_StaleReceiptHandle_SucceedsButKeepsTheMessage()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);
        await SendAsync(queues.QueueUrl, ("g", "one"));
        var first = (await ReceiveAllAsync(queues.QueueUrl, expected: 1)).Single();
        await _sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, first.ReceiptHandle, TimeSpan.Zero);
        var second = (await ReceiveAllAsync(queues.QueueUrl, expected: 1)).Single();

        // As SQS documents: a delete needs the latest receive's handle; an older one succeeds but deletes nothing.
        var result = await _sqs.DeleteMessageBatchAsync(queues.QueueUrl, [new ReceiptEntry("stale", first.ReceiptHandle)]);
        await _sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, second.ReceiptHandle, TimeSpan.Zero);
        var third = await ReceiveAllAsync(queues.QueueUrl, expected: 1);

        result.SuccessfulIds.Should().Equal("stale");
        third.Single().MessageId.Should().Be(first.MessageId);
    }

    [Fact]
    public async Task DeleteMessageBatch_MalformedReceiptHandle_AccountsForTheEntryWithoutThrowing()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);

        // AWS fails the entry with ReceiptHandleIsInvalid; fauxqs reports it deleted.
        var result = await _sqs.DeleteMessageBatchAsync(queues.QueueUrl, [new ReceiptEntry("junk", "not-a-receipt-handle")]);

        result.SuccessfulIds.Concat(result.Failed.Select(f => f.Id)).Should().Equal("junk");
    }

    [Fact]
    public async Task ChangeMessageVisibility_DeletedMessage_ThrowsPermanentSqsRequestException()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);
        await SendAsync(queues.QueueUrl, ("g", "one"));
        var message = (await ReceiveAllAsync(queues.QueueUrl, expected: 1)).Single();
        await _sqs.DeleteMessageAsync(queues.QueueUrl, message.ReceiptHandle);

        var act = () => _sqs.ChangeMessageVisibilityAsync(queues.QueueUrl, message.ReceiptHandle, TimeSpan.FromSeconds(30));

        var error = (await act.Should().ThrowAsync<SqsRequestException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.ErrorCode.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task ChangeMessageVisibilityBatch_DeletedMessage_ReportsFailedEntry()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);
        await SendAsync(queues.QueueUrl, ("g", "one"));
        var message = (await ReceiveAllAsync(queues.QueueUrl, expected: 1)).Single();
        await _sqs.DeleteMessageAsync(queues.QueueUrl, message.ReceiptHandle);

        var result = await _sqs.ChangeMessageVisibilityBatchAsync(queues.QueueUrl,
            [new VisibilityChangeEntry("gone", message.ReceiptHandle, TimeSpan.FromSeconds(30))]);

        result.SuccessfulIds.Should().BeEmpty();
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchEntryFailure>(f => f.Id == "gone" && f.Code.Length > 0);
    }

    [Fact]
    public async Task ReceiveMessages_CallerCancelsLongPoll_ThrowsOperationCanceled()
    {
        await using var queues = await TestQueues.CreateAsync(_sqs);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var act = () => _sqs.ReceiveMessagesAsync(queues.QueueUrl, new ReceiveOptions(1, TimeSpan.FromSeconds(10)), cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private async Task SendAsync(string queueUrl, params (string Group, string Body)[] messages)
    {
        var result = await _sqs.SendMessageBatchAsync(queueUrl,
            messages.Select((m, i) => new OutgoingMessage($"m{i}", m.Body, m.Group, Guid.NewGuid().ToString("N"))).ToList());
        result.Failed.Should().BeEmpty();
    }

    // A FIFO receive may return fewer messages than are visible (fauxqs returns one per group, AWS may split
    // them over calls), so tests collect until they have what they expect.
    private async Task<List<ReceivedMessage>> ReceiveAllAsync(string queueUrl, int expected)
    {
        var received = new List<ReceivedMessage>();
        for (var attempt = 0; attempt < 10 && received.Count < expected; attempt++)
        {
            received.AddRange(await _sqs.ReceiveMessagesAsync(queueUrl, ReceiveTen));
        }

        received.Should().HaveCount(expected);
        return received;
    }
}
