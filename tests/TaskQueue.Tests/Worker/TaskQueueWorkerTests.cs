using FluentAssertions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Worker;

public class TaskQueueWorkerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Mock<ISqsClient> _sqs = new();
    private readonly List<ReceiveOptions> _receives = [];

    private TaskQueueWorker Worker(Func<TaskMessage, TaskContext, Task>? handler = null) => new(
        _sqs.Object,
        TestMessages.Options(),
        Options.Create(new TaskQueueWorkerOptions { HeartbeatEnabled = false, ShutdownTimeout = TimeSpan.Zero }),
        handler ?? ((_, _) => Task.CompletedTask),
        timeProvider: _time);

    private async Task WaitForReceives(int count)
    {
        for (var i = 0; i < 400 && ReceiveCount() < count; i++)
        {
            await Task.Delay(5);
        }

        await Task.Delay(20);
    }

    private int ReceiveCount()
    {
        lock (_receives)
        {
            return _receives.Count;
        }
    }

    [Fact]
    public async Task Run_ReceivesKeepFailing_BacksOffDoublingAndNeverHotLoops()
    {
        _sqs.Setup(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .Callback((string _, ReceiveOptions o, CancellationToken _) => { lock (_receives) { _receives.Add(o); } })
            .ThrowsAsync(new SqsRequestException("connection refused", null, isTransient: true, null));
        using var worker = Worker();
        using var stop = new CancellationTokenSource();

        var running = worker.RunAsync(stop.Token);
        await WaitForReceives(1);
        ReceiveCount().Should().Be(1, "after a failure the poller pauses instead of retrying at once");

        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForReceives(2);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        ReceiveCount().Should().Be(2, "the second pause is 2 s");
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForReceives(3);
        ReceiveCount().Should().Be(3);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Run_EmptyQueue_LongPollsWithTenMessagesAndTwentySeconds()
    {
        _sqs.Setup(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .Callback((string _, ReceiveOptions o, CancellationToken _) => { lock (_receives) { _receives.Add(o); } })
            .Returns(async () =>
            {
                // An empty long poll takes its whole wait.
                await Task.Delay(TimeSpan.FromSeconds(20), _time);
                return (IReadOnlyList<ReceivedMessage>)[];
            });
        using var worker = Worker();
        using var stop = new CancellationTokenSource();

        var running = worker.RunAsync(stop.Token);
        await WaitForReceives(1);
        _time.Advance(TimeSpan.FromSeconds(20));
        await WaitForReceives(2);
        await stop.CancelAsync();
        _time.Advance(TimeSpan.FromSeconds(20));
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        lock (_receives)
        {
            _receives.Should().HaveCount(2, "one receive per 20 s wait").And.OnlyContain(o => o.MaxMessages == 10 && o.WaitTime == TimeSpan.FromSeconds(20) && o.VisibilityTimeout == TimeSpan.FromSeconds(900));
        }
    }

    [Fact]
    public async Task Run_ServerIgnoresLongPolling_PausesBetweenEmptyReceives()
    {
        _sqs.Setup(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .Callback((string _, ReceiveOptions o, CancellationToken _) => { lock (_receives) { _receives.Add(o); } })
            .ReturnsAsync([]);
        using var worker = Worker();
        using var stop = new CancellationTokenSource();

        var running = worker.RunAsync(stop.Token);
        await WaitForReceives(1);
        await Task.Delay(100);
        ReceiveCount().Should().Be(1, "an empty answer that came at once is followed by a pause, not another request");
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForReceives(2);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        ReceiveCount().Should().Be(2);
    }

    [Fact]
    public async Task Run_Twice_Throws()
    {
        _sqs.Setup(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        using var worker = Worker();
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);

        var again = () => worker.RunAsync(CancellationToken.None);

        await again.Should().ThrowAsync<InvalidOperationException>().WithMessage("A TaskQueueWorker runs once*");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public void Constructor_BadWorkerOptions_ThrowsNamingThem()
    {
        var act = () => new TaskQueueWorker(
            _sqs.Object,
            TestMessages.Options(),
            Options.Create(new TaskQueueWorkerOptions { MaxConcurrentTasks = 0, ReceiveWaitTime = TimeSpan.FromSeconds(30) }),
            (_, _) => Task.CompletedTask);

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().BeEquivalentTo(
            "MaxConcurrentTasks is 0: it must be 1 to 1,000.",
            "ReceiveWaitTime is 30 s: it must be 1 to 20 s (long polling keeps an empty queue cheap; SQS waits at most 20 s).");
    }
}
