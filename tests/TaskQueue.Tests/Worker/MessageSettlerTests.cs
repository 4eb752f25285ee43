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

    private MessageSettler Settler(EntityCompletionTracker? tracker = null, Action<TaskQueueOptions>? configure = null)
    {
        var options = TestMessages.Options(o =>
        {
            o.DeadLetterQueueUrl = DeadLetterQueueUrl;
            configure?.Invoke(o);
        }).Value;
        var deletes = new DeleteBatcher(_sqs.Object, options.QueueUrl, TimeSpan.Zero, _time, NullLogger.Instance);
        var locator = new DeadLetterQueueLocator(_sqs.Object, options);
        return new MessageSettler(
            _sqs.Object, options, deletes, new DeadLetterMover(_sqs.Object, locator, deletes, NullLogger.Instance), locator, _time, NullLogger.Instance, tracker: tracker);
    }

    private void PolicyIs(string? policy) =>
        _sqs.Setup(s => s.GetQueueAttributesAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(policy is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [QueueAttributeNames.RedrivePolicy] = policy });

    private void DeadLetterMovesSucceed()
    {
        _sqs.Setup(s => s.SendMessageBatchAsync(DeadLetterQueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<OutgoingMessage> e, CancellationToken _) => new SendBatchResult([new SentMessage(e[0].Id, "dlq-1")], []));
        _sqs.DeletesSucceed();
    }

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
        DeadLetterMovesSucceed();

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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Settle_TrackedAttemptBeforeTheLastSettledAgain_NotesTheAttemptOnce(int attempt)
    {
        PolicyIs(Policy);
        var ledger = new Mock<IEntityLedger>();
        var settler = Settler(TrackerOver(ledger.Object));
        var result = TrackedFailure(attempt);

        for (var settling = 0; settling < 3; settling++)
        {
            result = (await settler.SettleAsync(
                TestMessages.Received(TestMessages.TaskBody(), receiveCount: attempt), result, ReceiptDeadline.After(_time, TimeSpan.FromMinutes(1)),
                leaseLost: false, mayRetryUnderLease: false, CancellationToken.None, leaseKeptAlive: true)).Result;
        }

        ledger.Verify(l => l.RecordAsync(It.Is<TaskFate>(f => f.State == EntityTaskState.Pending && f.Attempts == attempt && f.LastError == "InvalidOperationException: boom"), It.IsAny<CancellationToken>()), Times.Once());
        ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Settle_TrackedLastAttemptSettledAgainAfterFailedMoves_WritesNothingUntilItsDeadLettering()
    {
        PolicyIs(Policy);
        _sqs.Setup(s => s.SendMessageBatchAsync(DeadLetterQueueUrl, It.IsAny<IReadOnlyList<OutgoingMessage>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsThrottledException("slow down"));
        var ledger = new Mock<IEntityLedger>();
        var settler = Settler(TrackerOver(ledger.Object));
        var result = TrackedFailure(attempt: 3);

        for (var settling = 0; settling < 3; settling++)
        {
            var settlement = await settler.SettleAsync(
                TestMessages.Received(TestMessages.TaskBody(), receiveCount: 3), result, ReceiptDeadline.After(_time, TimeSpan.FromMinutes(1)),
                leaseLost: false, mayRetryUnderLease: false, CancellationToken.None, leaseKeptAlive: true);
            settlement.SettleAgain.Should().BeTrue();
            result = settlement.Result;
        }

        // The dead-lettering's record carries the attempts and the error: a note of the last attempt first would be a second write.
        ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Settle_TrackedLastAttemptMoved_RecordsItsDeadLetteringOnlyWithTheAttemptsAndTheError()
    {
        PolicyIs(Policy);
        DeadLetterMovesSucceed();
        var ledger = new Testing.InMemoryEntityLedger();
        var writes = new Mock<IEntityLedger>();
        writes.Setup(l => l.RecordAsync(It.IsAny<TaskFate>(), It.IsAny<CancellationToken>())).Returns((TaskFate f, CancellationToken c) => ledger.RecordAsync(f, c));
        writes.Setup(l => l.TryClaimCompletionAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string e, string b, int r, string who, CancellationToken c) => ledger.TryClaimCompletionAsync(e, b, r, who, c));

        var settlement = await Settler(TrackerOver(writes.Object)).SettleAsync(
            TestMessages.Received(TestMessages.TaskBody(), receiveCount: 3), TrackedFailure(attempt: 3), ReceiptDeadline.After(_time, TimeSpan.FromMinutes(1)),
            leaseLost: false, mayRetryUnderLease: false, CancellationToken.None, leaseKeptAlive: true);

        settlement.Result.Deleted.Should().BeTrue();
        writes.Verify(l => l.RecordAsync(It.IsAny<TaskFate>(), It.IsAny<CancellationToken>()), Times.Once());
        var recorded = (await ledger.GetBatchesAsync("doc-1", default)).Single().Tasks.Single();
        recorded.Should().BeEquivalentTo(new { State = EntityTaskState.DeadLettered, Attempts = 3 });
        recorded.LastError.Should().Contain("InvalidOperationException: boom");
    }

    [Fact]
    public async Task Settle_TrackedAttemptFailingWithANonRetryableException_RecordsItsDeadLetteringOnly()
    {
        PolicyIs(Policy);
        DeadLetterMovesSucceed();
        var ledger = new Mock<IEntityLedger>();
        ledger.Setup(l => l.RecordAsync(It.IsAny<TaskFate>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskFate f, CancellationToken _) => new EntityBatchStatus(f.EntityId, f.BatchId, 2, null, [new EntityTaskStatus(f.TaskName, f.State)], 1, 0));

        var settlement = await Settler(TrackerOver(ledger.Object), o => o.NonRetryableExceptions.Add(typeof(InvalidOperationException))).SettleAsync(
            TestMessages.Received(TestMessages.TaskBody(), receiveCount: 1), TrackedFailure(attempt: 1), ReceiptDeadline.After(_time, TimeSpan.FromMinutes(1)),
            leaseLost: false, mayRetryUnderLease: false, CancellationToken.None, leaseKeptAlive: true);

        settlement.Result.Deleted.Should().BeTrue();
        ledger.Verify(l => l.RecordAsync(It.Is<TaskFate>(f => f.State == EntityTaskState.DeadLettered && f.Attempts == 1), It.IsAny<CancellationToken>()), Times.Once());
        ledger.VerifyNoOtherCalls();
    }

    private EntityCompletionTracker TrackerOver(IEntityLedger ledger) => new(new EntityTracking(ledger), _time, NullLogger.Instance);

    private static ProcessResult<bool> TrackedFailure(int attempt) =>
        new(ProcessOutcome.Failed, "m-1", attempt, new TaskMessage("doc-1", "a", default, default, null, 1) { BatchId = "b-1" }, Error: new InvalidOperationException("boom"));
}
