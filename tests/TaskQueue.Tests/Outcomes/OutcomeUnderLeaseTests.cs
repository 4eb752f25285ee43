using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Outcomes;

/// <summary>A retry the handler asks for while later tasks of its group are held behind it: the chosen delay replaces the backoff, still under the lease.</summary>
public class OutcomeUnderLeaseTests
{
    private const string Policy = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:tasks-dlq.fifo","maxReceiveCount":3}""";

    private readonly FakeTimeProvider _time = new();
    private readonly Mock<ISqsClient> _sqs = new();

    private Task<Settlement<TaskOutcome>> SettleAsync(ProcessResult<TaskOutcome> result)
    {
        _sqs.Setup(s => s.GetQueueAttributesAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, string> { [QueueAttributeNames.RedrivePolicy] = Policy });
        var options = TestMessages.Options(o => o.DeadLetterQueueUrl = TestMessages.DlqUrl).Value;
        var deletes = new DeleteBatcher(_sqs.Object, options.QueueUrl, TimeSpan.Zero, _time, NullLogger.Instance);
        var locator = new DeadLetterQueueLocator(_sqs.Object, options);
        var settler = new MessageSettler(_sqs.Object, options, deletes, new DeadLetterMover(_sqs.Object, locator, deletes, NullLogger.Instance), locator, _time, NullLogger.Instance);
        return settler.SettleAsync(
            TestMessages.Received(TestMessages.TaskBody()), result, ReceiptDeadline.After(_time, TimeSpan.FromMinutes(1)), leaseLost: false, mayRetryUnderLease: true, CancellationToken.None);
    }

    [Fact]
    public async Task RetryAfter_WithSuccessorsHeld_RetriedUnderTheLeaseAfterTheChosenDelay()
    {
        var settlement = await SettleAsync(new(ProcessOutcome.RetryRequested, "m-1", 1, null, RetryDelay: TimeSpan.FromSeconds(30)));

        settlement.RetryUnderLeaseAfter.Should().Be(TimeSpan.FromSeconds(30), "the handler's delay, not the backoff's 5 s");
        settlement.SettleAgain.Should().BeFalse();
        _sqs.Verify(s => s.ChangeMessageVisibilityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task DeadLetter_WithSuccessorsHeld_MovedAtOnceNotRetried()
    {
        _sqs.Setup(s => s.SendMessageBatchAsync(TestMessages.DlqUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> m, CancellationToken _) => new SendBatchResult([new SentMessage(m[0].Id, "dlq-1")], []));
        _sqs.DeletesSucceed();

        var settlement = await SettleAsync(new(ProcessOutcome.DeadLetterRequested, "m-1", 1, null, DeadLetterReason: "unreadable"));

        settlement.Result.Deleted.Should().BeTrue();
        settlement.RetryUnderLeaseAfter.Should().BeNull();
    }
}
