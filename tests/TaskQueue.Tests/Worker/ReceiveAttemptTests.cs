using FluentAssertions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Worker;

/// <summary>A receive whose answer was lost is retried with its ReceiveRequestAttemptId; receives ask only for the system attributes a task run reads.</summary>
public class ReceiveAttemptTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Mock<ISqsClient> _sqs = new();
    private readonly List<ReceiveOptions> _receives = [];

    [Fact]
    public async Task Run_ReceiveFailsTwiceThenAnswers_RetriesWithTheSameAttemptIdAndStartsANewOneAfterTheAnswer()
    {
        _sqs.Setup(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .Returns((string _, ReceiveOptions o, CancellationToken _) =>
            {
                int count;
                lock (_receives)
                {
                    _receives.Add(o);
                    count = _receives.Count;
                }

                return count switch
                {
                    1 => Task.FromException<IReadOnlyList<ReceivedMessage>>(new SqsRequestException("connection reset", null, isTransient: true, null)),
                    2 => Task.FromException<IReadOnlyList<ReceivedMessage>>(new SqsThrottledException("ReceiveMessage throttled")),
                    _ => Task.FromResult<IReadOnlyList<ReceivedMessage>>([]),
                };
            });
        using var worker = new TaskQueueWorker(
            _sqs.Object,
            TestMessages.Options(),
            Options.Create(new TaskQueueWorkerOptions { HeartbeatEnabled = false, ShutdownTimeout = TimeSpan.Zero }),
            (_, _) => Task.CompletedTask,
            timeProvider: _time);
        using var stop = new CancellationTokenSource();

        var running = worker.RunAsync(stop.Token);
        for (var i = 0; i < 40 && ReceiveCount() < 4; i++)
        {
            await Task.Delay(20);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        List<ReceiveOptions> receives;
        lock (_receives)
        {
            receives = [.. _receives.Take(4)];
        }

        receives.Should().HaveCount(4);
        receives[0].ReceiveRequestAttemptId.Should().NotBeNullOrEmpty();
        receives.Take(3).Select(r => r.ReceiveRequestAttemptId).Distinct().Should().ContainSingle("the two failed receives are retried as the same attempt");
        receives.Take(3).Select(r => r.MaxMessages).Distinct().Should().ContainSingle("a retry asks for what its first try asked for");
        receives[3].ReceiveRequestAttemptId.Should().NotBe(receives[0].ReceiveRequestAttemptId, "an answered receive is done with");
        receives.Should().OnlyContain(r => r.SystemAttributes != null
            && r.SystemAttributes.SequenceEqual(new[] { SystemAttributeNames.ApproximateReceiveCount, SystemAttributeNames.MessageGroupId }));
    }

    [Fact]
    public void Next_AfterAnUnansweredReceive_ReusesItsIdWithinFiveMinutesAndWithRoomEnough()
    {
        var attempts = new ReceiveAttempts(fifo: true, _time);
        var first = attempts.Next(10);

        attempts.Next(10).Should().Be(first);
        attempts.Next(4).Id.Should().NotBe(first.Id, "a retry for 10 messages does not fit in 4 slots");
        var second = attempts.Next(4);
        _time.Advance(TimeSpan.FromMinutes(5));
        attempts.Next(4).Id.Should().NotBe(second.Id, "SQS keeps an attempt id for 5 minutes only");
    }

    [Fact]
    public void Next_StandardQueue_SendsNoAttemptId()
    {
        new ReceiveAttempts(fifo: false, _time).Next(10).Should().Be(((string?)null, 10));
    }

    private int ReceiveCount()
    {
        lock (_receives)
        {
            return _receives.Count;
        }
    }
}
