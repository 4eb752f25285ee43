using FluentAssertions;
using TaskQueue.TestSupport.Backends;
using TaskQueue.Sqs;

namespace TaskQueue.ContractTests.Contracts;

/// <summary>Batch limits: whole batches rejected for their shape, single entries rejected for their content.</summary>
public abstract class BatchLimitsContract(ISqsBackend backend) : SqsContract(backend)
{
    [Fact]
    public async Task SendMessageBatch_ElevenEntries_ThrowsTooManyEntries()
    {
        await using var queues = await CreateQueuesAsync();
        var batch = Enumerable.Range(0, 11).Select(i => Message("g", $"task {i}")).ToList();

        var send = () => Sqs.SendMessageBatchAsync(queues.QueueUrl, batch);

        (await send.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Contain("TooManyEntriesInBatchRequest");
        (await ReceiveAsync(queues.QueueUrl)).Should().BeEmpty("a rejected batch sends nothing");
    }

    [Fact]
    public async Task SendMessageBatch_DuplicateEntryIds_ThrowsBatchEntryIdsNotDistinct()
    {
        await using var queues = await CreateQueuesAsync();

        var send = () => Sqs.SendMessageBatchAsync(queues.QueueUrl,
            [new OutgoingMessage("same", "one", "g", "d1"), new OutgoingMessage("same", "two", "g", "d2")]);

        (await send.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Contain("BatchEntryIdsNotDistinct");
    }

    [Fact]
    public async Task SendMessageBatch_NoEntries_ThrowsEmptyBatchRequest()
    {
        await using var queues = await CreateQueuesAsync();

        var send = () => Sqs.SendMessageBatchAsync(queues.QueueUrl, []);

        (await send.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Contain("EmptyBatchRequest");
    }

    [Fact]
    public async Task SendMessageBatch_EntryWithoutGroupIdAmongValidOnes_FailsOnlyThatEntry()
    {
        await using var queues = await CreateQueuesAsync();

        var result = await Sqs.SendMessageBatchAsync(queues.QueueUrl,
        [
            new OutgoingMessage("ok1", "first", "g", "d1"),
            new OutgoingMessage("nogroup", "lost", null, "d2"),
            new OutgoingMessage("ok2", "second", "g", "d3"),
        ]);

        result.Successful.Select(s => s.Id).Should().BeEquivalentTo(["ok1", "ok2"]);
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchEntryFailure>(f => f.Id == "nogroup" && f.SenderFault);
        (await ReceiveAndDeleteAsync(queues.QueueUrl, 2)).Select(m => m.Body).Should().Equal("first", "second");
    }

    [Fact]
    public async Task SendMessageBatch_EntryWithoutDeduplicationIdOnQueueWithoutContentDedup_FailsOnlyThatEntry()
    {
        await using var queues = await CreateQueuesAsync();

        var result = await Sqs.SendMessageBatchAsync(queues.QueueUrl,
            [new OutgoingMessage("ok", "first", "g", "d1"), new OutgoingMessage("nodedup", "lost", "g")]);

        result.Successful.Select(s => s.Id).Should().Equal("ok");
        result.Failed.Should().ContainSingle().Which.Should().Match<BatchEntryFailure>(f => f.Id == "nodedup" && f.SenderFault);
    }

    [Fact]
    public async Task DeleteMessageBatch_ElevenEntries_ThrowsTooManyEntries()
    {
        await using var queues = await CreateQueuesAsync();
        var entries = Enumerable.Range(0, 11).Select(i => new ReceiptEntry($"e{i}", $"handle-{i}")).ToList();

        var delete = () => Sqs.DeleteMessageBatchAsync(queues.QueueUrl, entries);

        (await delete.Should().ThrowAsync<SqsRequestException>()).Which.ErrorCode.Should().Contain("TooManyEntriesInBatchRequest");
    }

    [Fact]
    public async Task SendMessageBatch_EntriesTotallingOverOneMebibyte_ThrowsMessageTooLarge()
    {
        await using var queues = await CreateQueuesAsync();
        var body = new string('x', 300 * 1024);
        var batch = Enumerable.Range(0, 4).Select(i => Message("g", body)).ToList();

        var send = () => Sqs.SendMessageBatchAsync(queues.QueueUrl, batch);

        await send.Should().ThrowAsync<MessageTooLargeException>();
    }
}
