using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Worker;

/// <summary>Settling a failed task while later tasks of its group are held behind it: nothing goes back to the queue.</summary>
public class MessageSettlerTests
{
    private const string DeadLetterQueueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/tasks-dlq.fifo";
    private const string Policy = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:tasks-dlq.fifo","maxReceiveCount":3}""";

    private readonly FakeTimeProvider _time = new();
    private readonly Mock<ISqsClient> _sqs = new();

    private MessageSettler Settler(EntityCompletionTracker? tracker = null)
    {
        var options = TestMessages.Options(o => o.DeadLetterQueueUrl = DeadLetterQueueUrl).Value;
        var deletes = new DeleteBatcher(_sqs.Object, options.QueueUrl, TimeSpan.Zero, _time, NullLogger.Instance);
        var locator = new DeadLetterQueueLocator(_sqs.Object, options);
        return new MessageSettler(
            _sqs.Object, options, deletes, new DeadLetterMover(_sqs.Object, locator, deletes, NullLogger.Instance), locator, _time, NullLogger.Instance, tracker: tracker);
    }

    private void PolicyIs(string? policy) =>
        _sqs.Setup(s => s.GetQueueAttributesAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(policy is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [QueueAttributeNames.RedrivePolicy] = policy });

    private static ProcessResult<bool> Failed(int attempt) =>
        new(ProcessOutcome.Failed, "m-1", attempt, null, Error: new InvalidOperationException("boom"));

    private Task<Settlement<bool>> SettleAsync(ProcessResult<bool> result) =>
        Settler().SettleAsync(TestMessages.Received(TestMessages.TaskBody(), receiveCount: 1), result, ReceiptDeadline.After(_time, TimeSpan.FromMinutes(1)), leaseLost: false, mayRetryUnderLease: true, CancellationToken.None);

    [Fact]
    public async Task Settle_FailedBeforeTheLimit_RetriedUnderLeaseAfterTheBackoffNothingSentToSqs()
    {
        PolicyIs(Policy);

        var settlement = await SettleAsync(Failed(attempt: 2));

        settlement.RetryUnderLeaseAfter.Should().Be(TimeSpan.FromSeconds(10), "the backoff of a second failure");
        settlement.SettleAgain.Should().BeFalse();
        _sqs.Verify(s => s.ChangeMessageVisibilityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task Settle_LastAttemptFailed_MovedToTheDeadLetterQueueAndDeleted()
    {
        PolicyIs(Policy);
        _sqs.Setup(s => s.SendMessageBatchAsync(DeadLetterQueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> e, CancellationToken _) => new SendBatchResult([new SentMessage(e[0].Id, "dlq-1")], []));
        _sqs.DeletesSucceed();

        var settlement = await SettleAsync(Failed(attempt: 3));

        settlement.Result.Deleted.Should().BeTrue();
        settlement.RetryUnderLeaseAfter.Should().BeNull();
    }

    [Fact]
    public async Task Settle_LastAttemptFailedAndTheMoveFails_SettledAgainLaterUnderTheLeaseNotHandedBack()
    {
        PolicyIs(Policy);
        _sqs.Setup(s => s.SendMessageBatchAsync(DeadLetterQueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsRequestException("down", "InternalError", isTransient: true, null));

        var settlement = await SettleAsync(Failed(attempt: 3));

        settlement.SettleAgain.Should().BeTrue("the move is tried again; running the task a fourth time would exceed the limit");
        settlement.RetryUnderLeaseAfter.Should().NotBeNull();
        settlement.Result.Deleted.Should().BeFalse();
        _sqs.Verify(s => s.ChangeMessageVisibilityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task Settle_RedrivePolicyUnreadable_SettledAgainLaterUnderTheLease()
    {
        _sqs.Setup(s => s.GetQueueAttributesAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsThrottledException("slow down"));

        var settlement = await SettleAsync(Failed(attempt: 1));

        settlement.SettleAgain.Should().BeTrue();
        _sqs.Verify(s => s.ChangeMessageVisibilityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task Settle_QueueWithoutRedrivePolicy_BackedOffInTheQueue()
    {
        PolicyIs(null);

        var settlement = await SettleAsync(Failed(attempt: 1));

        settlement.RetryUnderLeaseAfter.Should().BeNull("without a maxReceiveCount no receive can dead-letter the tasks behind it");
        _sqs.Verify(s => s.ChangeMessageVisibilityAsync(TestMessages.QueueUrl, "r-1", TimeSpan.FromSeconds(5), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Settle_TrackedLastAttemptAloneInItsGroupAndTheMoveFails_TriedAgainUnderALeaseElseBackedOff(bool leaseKeptAlive)
    {
        PolicyIs(Policy);
        _sqs.Setup(s => s.SendMessageBatchAsync(DeadLetterQueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsThrottledException("slow down"));
        var tracker = new EntityCompletionTracker(new EntityTracking(new Testing.InMemoryEntityLedger()), _time, NullLogger.Instance);
        var task = new TaskMessage("doc-1", "a", default, default, null, 1) { BatchId = "b-1" };
        var failed = new ProcessResult<bool>(ProcessOutcome.Failed, "m-1", 3, task, Error: new InvalidOperationException("boom"));

        var settlement = await Settler(tracker).SettleAsync(
            TestMessages.Received(TestMessages.TaskBody(), receiveCount: 3), failed, ReceiptDeadline.After(_time, TimeSpan.FromMinutes(1)),
            leaseLost: false, mayRetryUnderLease: false, CancellationToken.None, leaseKeptAlive);

        // Handed back, its next receive would be past the limit: the redrive policy would move it where no worker records it.
        settlement.SettleAgain.Should().Be(leaseKeptAlive);
        settlement.Result.Deleted.Should().BeFalse();
        _sqs.Verify(
            s => s.ChangeMessageVisibilityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()),
            leaseKeptAlive ? Times.Never() : Times.Once());
    }

    [Fact]
    public async Task Settle_TrackedLastAttemptSettledAgainAfterAFailedMove_WritesTheFailedAttemptToTheLedgerOnce()
    {
        PolicyIs(Policy);
        _sqs.Setup(s => s.SendMessageBatchAsync(DeadLetterQueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsThrottledException("slow down"));
        var ledger = new Mock<IEntityLedger>();
        var tracker = new EntityCompletionTracker(new EntityTracking(ledger.Object), _time, NullLogger.Instance);
        var task = new TaskMessage("doc-1", "a", default, default, null, 1) { BatchId = "b-1" };
        var result = new ProcessResult<bool>(ProcessOutcome.Failed, "m-1", 3, task, Error: new InvalidOperationException("boom"));
        var settler = Settler(tracker);

        for (var settling = 0; settling < 3; settling++)
        {
            var settlement = await settler.SettleAsync(
                TestMessages.Received(TestMessages.TaskBody(), receiveCount: 3), result, ReceiptDeadline.After(_time, TimeSpan.FromMinutes(1)),
                leaseLost: false, mayRetryUnderLease: false, CancellationToken.None, leaseKeptAlive: true);
            settlement.SettleAgain.Should().BeTrue();
            result = settlement.Result;
        }

        ledger.Verify(l => l.RecordAsync(It.Is<TaskFate>(f => f.State == EntityTaskState.Pending), It.IsAny<CancellationToken>()), Times.Once());
    }
}
