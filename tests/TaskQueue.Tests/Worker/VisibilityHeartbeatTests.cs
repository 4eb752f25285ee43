using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;
using TaskQueue.Worker;

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

    private VisibilityHeartbeat Heartbeat(TimeSpan visibility) => new(_sqs.Object, TestMessages.QueueUrl, visibility, _time, NullLogger.Instance);

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
        var lease = heartbeat.Track(TestMessages.Received("{}", receipt: "r-7"));

        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await heartbeat.ExtendDueAsync();
        }

        _extensions.Should().HaveCount(6).And.OnlyContain(e => e.ReceiptHandle == "r-7" && e.VisibilityTimeout == TimeSpan.FromSeconds(2));
        lease.VisibleUntil.Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(2), "each extension counts from its own time");
    }

    [Fact]
    public async Task ExtendDue_ManyLeasesDue_BatchedTenPerCall()
    {
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 23; i++)
        {
            heartbeat.Track(TestMessages.Received("{}", receipt: $"r{i}"));
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
        var lease = heartbeat.Track(TestMessages.Received("{}"));

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
        var lease = heartbeat.Track(TestMessages.Received("{}"));
        _time.Advance(TimeSpan.FromSeconds(2));

        var extending = heartbeat.ExtendDueAsync();
        var ending = heartbeat.EndAsync(lease);

        ending.IsCompleted.Should().BeFalse("an acknowledgement must not overtake the extension in flight");
        gate.SetResult(new BatchResult(["0"], []));
        await extending;
        (await ending).Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task ExtendDue_NearTwelveHourCap_NeverAsksPastIt()
    {
        var visibility = TimeSpan.FromHours(5);
        var heartbeat = Heartbeat(visibility);
        var lease = heartbeat.Track(TestMessages.Received("{}"));
        var receivedAt = _time.GetUtcNow();

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

        lease.VisibleUntil.Should().Be(receivedAt + TimeSpan.FromHours(12));
        _extensions.Should().NotBeEmpty();
    }

    [Fact]
    public async Task ExtendDue_ServiceFails_LeaseKeepsOldDeadlineAndLoopGoesOn()
    {
        _sqs.Setup(s => s.ChangeMessageVisibilityBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<VisibilityChangeEntry>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SqsRequestException("down", "InternalError", isTransient: true, null));
        var heartbeat = Heartbeat(TimeSpan.FromSeconds(4));
        var lease = heartbeat.Track(TestMessages.Received("{}"));
        var deadline = lease.VisibleUntil;
        _time.Advance(TimeSpan.FromSeconds(3));

        await heartbeat.ExtendDueAsync();

        lease.VisibleUntil.Should().Be(deadline);
    }

    [Theory]
    [InlineData(2, 500)]
    [InlineData(0.2, 100)]
    [InlineData(900, 30_000)]
    public void Period_IsQuarterOfTimeoutWithinBounds(double visibilitySeconds, int expectedMs) =>
        Heartbeat(TimeSpan.FromSeconds(visibilitySeconds)).Period.Should().Be(TimeSpan.FromMilliseconds(expectedMs));
}
