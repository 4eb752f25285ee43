using FluentAssertions;
using Microsoft.Extensions.Options;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests;

/// <summary>Redrive against a mocked seam: the order of send and delete, and what happens when a send fails.</summary>
public sealed class DeadLetterRedriverUnitTests
{
    private const string QueueUrl = "https://sqs.test/1/q.fifo";
    private const string DlqUrl = "https://sqs.test/1/q-dlq.fifo";

    private readonly Mock<ISqsClient> _sqs = new(MockBehavior.Strict);
    private readonly List<ReceiptEntry> _deleted = [];
    private readonly List<VisibilityChangeEntry> _released = [];

    public DeadLetterRedriverUnitTests()
    {
        _sqs.SetupSequence(s => s.ReceiveMessagesAsync(DlqUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([Letter("m1", "doc-1"), Letter("m2", "doc-2")])
            .ReturnsAsync([]);
        _sqs.Setup(s => s.DeleteMessageBatchAsync(DlqUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<ReceiptEntry> entries, CancellationToken _) => _deleted.AddRange(entries))
            .ReturnsAsync((string _, IReadOnlyList<ReceiptEntry> entries, CancellationToken _) => new BatchResult(entries.Select(e => e.Id).ToList(), []));
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(DlqUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken _) => _released.AddRange(entries))
            .ReturnsAsync((string _, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken _) => new BatchResult(entries.Select(e => e.Id).ToList(), []));
    }

    [Fact]
    public async Task Redrive_SendFailsForOneEntry_DeletesOnlyTheOneSentAndReleasesTheOther()
    {
        _sqs.Setup(s => s.SendMessageBatchAsync(QueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) => new SendBatchResult(
                [new SentMessage(entries[0].Id, "new-1")],
                [new BatchEntryFailure(entries[1].Id, "InternalError", "try again", SenderFault: false)]));

        var result = await Handler().RedriveDeadLettersAsync();

        result.Moved.Should().Be(1);
        result.Failed.Should().ContainSingle().Which.Should().Match<RedriveFailure>(f => f.Message.MessageId == "m2" && f.ErrorCode == "InternalError");
        _deleted.Select(d => d.ReceiptHandle).Should().Equal("receipt-m1");
        _released.Select(r => r.ReceiptHandle).Should().Equal("receipt-m2");
    }

    [Fact]
    public async Task Redrive_SendThrows_DeletesNothingAndReleasesEverything()
    {
        _sqs.Setup(s => s.SendMessageBatchAsync(QueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsRequestException("server down", "ServiceUnavailable", isTransient: true, innerException: null));

        var redrive = () => Handler().RedriveDeadLettersAsync();

        await redrive.Should().ThrowAsync<SqsRequestException>();
        _deleted.Should().BeEmpty();
        _released.Select(r => r.ReceiptHandle).Should().BeEquivalentTo(["receipt-m1", "receipt-m2"]);
    }

    [Fact]
    public async Task Redrive_SendsWithTheSameGroupAndADeduplicationIdFromTheMessageId()
    {
        IReadOnlyList<OutgoingMessage>? sent = null;
        _sqs.Setup(s => s.SendMessageBatchAsync(QueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) => sent = entries)
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> entries, CancellationToken _) =>
                new SendBatchResult(entries.Select(e => new SentMessage(e.Id, "new-" + e.Id)).ToList(), []));

        await Handler().RedriveDeadLettersAsync();

        sent.Should().NotBeNull();
        sent!.Select(m => (m.MessageGroupId, m.MessageDeduplicationId)).Should().Equal(("doc-1-ocr", "redrive-m1"), ("doc-2-ocr", "redrive-m2"));
        sent.Select(m => m.Body).Should().Equal(Letter("m1", "doc-1").Body, Letter("m2", "doc-2").Body);
    }

    private TaskQueueHandler Handler() =>
        new(_sqs.Object, Options.Create(new TaskQueueOptions { QueueUrl = QueueUrl, DeadLetterQueueUrl = DlqUrl }));

    private static ReceivedMessage Letter(string id, string entity) => new(
        id,
        "receipt-" + id,
        "{\"entity_id\":\"" + entity + "\",\"task_name\":\"ocr\"}",
        new Dictionary<string, string>(),
        new Dictionary<string, string> { ["MessageGroupId"] = entity + "-ocr", ["ApproximateReceiveCount"] = "4" });
}
