using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Worker;

public class VisibilityHeartbeatTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly Mock<ISqsClient> _sqs = new(MockBehavior.Strict);
    private readonly List<VisibilityChangeEntry> _extensions = [];

    public VisibilityHeartbeatTests() =>
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => _extensions.AddRange(e))
            .ReturnsAsync((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => new BatchResult(e.Select(x => x.Id).ToList(), []));

    private VisibilityHeartbeat Heartbeat(TimeSpan visibility) => new(_sqs.Object, TestMessages.QueueUrl, visibility, _time, NullLogger.Instance, CancellationToken.None);

    [Fact]
    public async Task ExtendDue_BeforeHalfOfTimeout_ExtendsNothing()
    {
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        heartbeat.Track(TestMessages.Received("{}"));

        _time.Advance(TimeSpan.FromSeconds(1.9));
        await heartbeat.ExtendDueAsync();

        _extensions.Should().BeEmpty();
    }

    [Fact]
    public async Task ExtendDue_SmallTimeoutAtHalf_ExtendsByFullTimeoutAgainAndAgain()
    {
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(2));
        var lease = heartbeat.Track(TestMessages.Received("{}", receipt: "r-7"))!;

        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await heartbeat.ExtendDueAsync();
        }

        _extensions.Should().HaveCount(6).And.OnlyContain(e => e.ReceiptHandle == "r-7" && e.VisibilityTimeout == TimeSpan.FromSeconds(2));
        lease.VisibleUntil.Remaining(_time).Should().Be(TimeSpan.FromSeconds(2), "each extension counts from its own time");
    }

    [Fact]
    public async Task ExtendDue_ManyLeasesDue_BatchedTenPerCall()
    {
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 23; i++)
        {
            heartbeat.Track(TestMessages.Received("{}", messageId: $"m{i}", receipt: $"r{i}"));
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        await heartbeat.ExtendDueAsync();

        _sqs.Verify(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        _extensions.Select(e => e.ReceiptHandle).Should().OnlyHaveUniqueItems().And.HaveCount(23);
    }

    [Fact]
    public async Task ExtendDue_EndedLease_NeverExtended()
    {
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var lease = heartbeat.Track(TestMessages.Received("{}"))!;

        await heartbeat.EndAsync(lease);
        _time.Advance(TimeSpan.FromSeconds(3));
        await heartbeat.ExtendDueAsync();

        _extensions.Should().BeEmpty();
    }

    [Fact]
    public async Task End_WhileExtensionUnderWay_WaitsForItBeforeReturning()
    {
        var gate = new TaskCompletionSource<BatchResult>();
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .Returns(gate.Task);
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var lease = heartbeat.Track(TestMessages.Received("{}"))!;
        _time.Advance(TimeSpan.FromSeconds(2));

        var extending = heartbeat.ExtendDueAsync();
        var ending = heartbeat.EndAsync(lease);

        ending.IsCompleted.Should().BeFalse("an acknowledgement must not overtake the extension in flight");
        gate.SetResult(new BatchResult(["0"], []));
        await extending;
        (await ending).VisibleUntil.Remaining(_time).Should().Be(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task ExtendDue_NearTwelveHourCap_NeverAsksPastIt()
    {
        var visibility = TimeSpan.FromHours(5);
        var heartbeat = Heartbeat(visibility);
        var lease = heartbeat.Track(TestMessages.Received("{}"))!;
        var receivedAt = _time.GetUtcNow();
        var receivedTimestamp = _time.GetTimestamp();

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(13); elapsed += TimeSpan.FromMinutes(30))
        {
            _time.Advance(TimeSpan.FromMinutes(30));
            var before = _extensions.Count;
            await heartbeat.ExtendDueAsync();
            if (_extensions.Count > before)
            {
                (_time.GetUtcNow() - receivedAt + _extensions[^1].VisibilityTimeout).Should().BeLessThanOrEqualTo(TimeSpan.FromHours(12));
            }
        }

        lease.VisibleUntil.Timestamp.Should().Be(receivedTimestamp + (long)(TimeSpan.FromHours(12).TotalSeconds * _time.TimestampFrequency));
        _extensions.Should().NotBeEmpty();
    }

    [Fact]
    public async Task ExtendDue_ServiceFails_LeaseKeepsOldDeadlineAndLoopGoesOn()
    {
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsRequestException("down", "InternalError", isTransient: true, null));
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var lease = heartbeat.Track(TestMessages.Received("{}"))!;
        var deadline = lease.VisibleUntil;
        _time.Advance(TimeSpan.FromSeconds(3));

        await heartbeat.ExtendDueAsync();

        lease.VisibleUntil.Should().Be(deadline);
    }

    [Fact]
    public async Task ExtendDue_ExtensionRejected_LeaseLostRunCancelledLoggedOnceNeverExtendedAgain()
    {
        var logger = new CountingLogger();
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => _extensions.AddRange(e))
            .ReturnsAsync((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) =>
                new BatchResult([], [new BatchEntryFailure(e[0].Id, "ReceiptHandleIsInvalid", "stale", SenderFault: true)]));
        var heartbeat = new VisibilityHeartbeat(_sqs.Object, TestMessages.QueueUrl, TimeSpan.FromSeconds(4), _time, logger, CancellationToken.None);
        var lease = heartbeat.Track(TestMessages.Received("{}", messageId: "m-9"))!;

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await heartbeat.ExtendDueAsync();
        }

        _extensions.Should().ContainSingle("a lost lease is never extended again");
        lease.RunCancellation.IsCancellationRequested.Should().BeTrue("the task's own token stops its run");
        (await heartbeat.EndAsync(lease)).Lost.Should().BeTrue();
        logger.Warnings.Should().ContainSingle().Which.Should().Contain("m-9");
    }

    [Fact]
    public async Task ExtendDue_OutageOutlastsVisibility_NoVerdictUntilSqsAnswersThenLost()
    {
        var down = true;
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => down
                ? throw new SqsRequestException("down", "InternalError", isTransient: true, null)
                : new BatchResult([], e.Select(x => new BatchEntryFailure(x.Id, "MessageNotInflight", "its visibility timeout expired", SenderFault: true)).ToList()));
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var lease = heartbeat.Track(TestMessages.Received("{}"))!;

        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await heartbeat.ExtendDueAsync();
        }

        lease.RunCancellation.IsCancellationRequested.Should().BeFalse("no answer is no verdict: while the worker holds the group, SQS gives the message to no one");
        (await heartbeat.AskAsync(lease)).Should().Be(LeaseVerdict.Unknown);

        down = false;
        _time.Advance(TimeSpan.FromSeconds(1));
        await heartbeat.ExtendDueAsync();
        lease.RunCancellation.IsCancellationRequested.Should().BeTrue("SQS refused the receipt once it could answer");
        (await heartbeat.EndAsync(lease)).Lost.Should().BeTrue();
    }

    [Fact]
    public async Task Track_MessageAlreadyHeld_NotHeldTwiceAndNewestReceiptExtended()
    {
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var lease = heartbeat.Track(TestMessages.Received("{}", messageId: "m-1", receipt: "r-old"))!;

        var again = heartbeat.Track(TestMessages.Received("{}", receiveCount: 2, messageId: "m-1", receipt: "r-new"));
        _time.Advance(TimeSpan.FromSeconds(2));
        await heartbeat.ExtendDueAsync();

        again.Should().BeNull("the message already waits or runs in this worker");
        lease.Message.ReceiptHandle.Should().Be("r-new", "the newest receipt deletes it");
        _extensions.Should().ContainSingle().Which.ReceiptHandle.Should().Be("r-new");
    }

    [Fact]
    public async Task Track_LostLeaseReceivedAgainBySameWorker_HoldsAgainWithNewestReceipt()
    {
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) =>
                new BatchResult([], e.Select(x => new BatchEntryFailure(x.Id, "MessageNotInflight", "its visibility timeout expired", SenderFault: true)).ToList()));
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var lease = heartbeat.Track(TestMessages.Received("{}", messageId: "m-1", receipt: "r-old"))!;
        _time.Advance(TimeSpan.FromSeconds(4));
        await heartbeat.ExtendDueAsync();
        lease.RunCancellation.IsCancellationRequested.Should().BeTrue();

        heartbeat.Track(TestMessages.Received("{}", receiveCount: 2, messageId: "m-1", receipt: "r-new")).Should().BeNull("the same worker still holds the message");
        var (visibleUntil, lost) = await heartbeat.EndAsync(lease);

        lost.Should().BeFalse("delivered to this worker again, the message is held by no other");
        lease.Message.ReceiptHandle.Should().Be("r-new");
        visibleUntil.Remaining(_time).Should().Be(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task ExtendDue_TickLateButSqsStillHoldsTheMessage_ExtendedNotLost()
    {
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var lease = heartbeat.Track(TestMessages.Received("{}"))!;

        _time.Advance(TimeSpan.FromSeconds(5));
        await heartbeat.ExtendDueAsync();

        lease.RunCancellation.IsCancellationRequested.Should().BeFalse("SQS accepted the extension: the message is still this worker's");
        _extensions.Should().ContainSingle();
        lease.VisibleUntil.Remaining(_time).Should().Be(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Ask_RunOutlastedTheKnownVisibility_OneExtensionDecides()
    {
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var held = heartbeat.Track(TestMessages.Received("{}", messageId: "m-1", receipt: "r-1"))!;
        var gone = heartbeat.Track(TestMessages.Received("{}", messageId: "m-2", receipt: "r-2"))!;
        _time.Advance(TimeSpan.FromSeconds(5));
        await heartbeat.EndAsync(held);
        await heartbeat.EndAsync(gone);
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => e[0].ReceiptHandle == "r-1"
                ? new BatchResult([e[0].Id], [])
                : new BatchResult([], [new BatchEntryFailure(e[0].Id, "MessageNotInflight", "not in flight", SenderFault: true)]));

        (await heartbeat.AskAsync(held)).Should().Be(LeaseVerdict.Held);
        (await heartbeat.AskAsync(gone)).Should().Be(LeaseVerdict.Lost);
    }

    [Fact]
    public async Task Holds_WaitingLeaseMarkedLost_AskedOnceMoreBeforeItStarts()
    {
        var refuse = true;
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, IReadOnlyList<VisibilityChangeEntry> e, CancellationToken _) => refuse
                ? new BatchResult([], e.Select(x => new BatchEntryFailure(x.Id, "MessageNotInflight", "not in flight", SenderFault: true)).ToList())
                : new BatchResult(e.Select(x => x.Id).ToList(), []));
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var kept = heartbeat.Track(TestMessages.Received("{}", messageId: "m-1"))!;
        var gone = heartbeat.Track(TestMessages.Received("{}", messageId: "m-2"))!;
        _time.Advance(TimeSpan.FromSeconds(2));
        await heartbeat.ExtendDueAsync();
        kept.Lost.Should().BeTrue();
        gone.Lost.Should().BeTrue();

        refuse = false;
        (await heartbeat.HoldsAsync(kept)).Should().Be(LeaseVerdict.Held, "SQS accepted the receipt: no other worker holds the message");
        refuse = true;
        (await heartbeat.HoldsAsync(gone)).Should().Be(LeaseVerdict.Lost);
        heartbeat.Track(TestMessages.Received("{}", receiveCount: 2, messageId: "m-2")).Should().NotBeNull(
            "the ended lease is not revived by a later receive: the new one waits behind what the group releases");
    }

    [Fact]
    public async Task ExtendDue_WallClockStepsBackAnHour_StillExtendsOnTime()
    {
        var clock = new SteppingClock(_time);
        var heartbeat = new VisibilityHeartbeat(_sqs.Object, TestMessages.QueueUrl, TimeSpan.FromSeconds(4), clock, NullLogger.Instance, CancellationToken.None);
        heartbeat.Track(TestMessages.Received("{}"));

        clock.Step(TimeSpan.FromHours(-1));
        _time.Advance(TimeSpan.FromSeconds(2));
        await heartbeat.ExtendDueAsync();

        _extensions.Should().ContainSingle("lease deadlines are on the monotonic clock, not the wall clock");
    }

    [Fact]
    public async Task ExtendDue_WallClockStepsForwardAnHour_LeaseNotLost()
    {
        var clock = new SteppingClock(_time);
        var heartbeat = new VisibilityHeartbeat(_sqs.Object, TestMessages.QueueUrl, TimeSpan.FromSeconds(4), clock, NullLogger.Instance, CancellationToken.None);
        var lease = heartbeat.Track(TestMessages.Received("{}"))!;

        clock.Step(TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        await heartbeat.ExtendDueAsync();

        lease.RunCancellation.IsCancellationRequested.Should().BeFalse();
        _extensions.Should().BeEmpty("only 1 s of the 4 s timeout has passed");
    }

    [Fact]
    public async Task ExtendDue_OneSecondTimeout_ExtendsByAWholeSecondNeverZero()
    {
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(1));
        heartbeat.Track(TestMessages.Received("{}"));

        for (var i = 0; i < 8; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await heartbeat.ExtendDueAsync();
        }

        _extensions.Should().NotBeEmpty().And.OnlyContain(e => e.VisibilityTimeout == TimeSpan.FromSeconds(1), "a zero extension would release the running message");
    }

    [Theory]
    [InlineData(2, 250)]
    [InlineData(0.2, 100)]
    [InlineData(900, 30_000)]
    public void Period_IsAnEighthOfTimeoutWithinBounds(double visibilitySeconds, int expectedMs) =>
        Heartbeat(TimeSpan.FromSeconds(visibilitySeconds)).Period.Should().Be(TimeSpan.FromMilliseconds(expectedMs));
}
