using FluentAssertions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TaskQueue.Sqs;

namespace TaskQueue.Tests.Worker;

/// <summary>A receive error no retry can fix stops the worker once, loudly, after the same graceful shutdown as a stop request.</summary>
public class WorkerConfigurationErrorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly Mock<ISqsClient> _sqs = new();
    private readonly RecordingLogger<TaskQueueWorker> _logger = new();
    private readonly SqsConfigurationException _noCredentials = new(
        $"ReceiveMessage on queue {TestMessages.QueueUrl} failed: no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");

    private TaskQueueWorker Worker(int pollers = 1, Func<TaskMessage, TaskContext, Task>? handler = null) => new(
        _sqs.Object,
        TestMessages.Options(),
        Options.Create(new TaskQueueWorkerOptions { HeartbeatEnabled = false, PollerCount = pollers, ShutdownTimeout = TimeSpan.FromSeconds(30) }),
        handler ?? ((_, _) => Task.CompletedTask),
        _logger,
        _time);

    [Fact]
    public async Task Run_ReceiveFailsWithConfigurationError_LogsOneErrorStopsAndThrowsIt()
    {
        _sqs.Setup(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(_noCredentials);
        using var worker = Worker(pollers: 3);

        var act = () => worker.RunAsync(CancellationToken.None).WaitAsync(Patience);

        (await act.Should().ThrowAsync<SqsConfigurationException>()).Which.Should().BeSameAs(_noCredentials);
        _sqs.Verify(s => s.ReceiveMessagesAsync(It.IsAny<string>(), It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()), Times.AtMost(3), "each poller tries once at most");
        _logger.Entries.Where(e => e.Level >= LogLevel.Warning).Should().ContainSingle("every poller meets the error, the log says it once")
            .Which.Should().Match<(LogLevel Level, EventId EventId, string Message, Exception? Exception)>(e =>
                e.Level == LogLevel.Error && e.EventId.Id == 6011 && e.Exception == _noCredentials
                && e.Message.Contains(TestMessages.QueueUrl) && e.Message.Contains("set AWS_PROFILE"));
    }

    [Fact]
    public async Task Health_AfterConfigurationError_UnhealthyWithTheReason()
    {
        _sqs.Setup(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(_noCredentials);
        using var worker = Worker();
        var check = new TaskQueueWorkerHealthCheck(worker, Options.Create(new TaskQueueHealthCheckOptions()), _time);

        await FluentActions.Awaiting(() => worker.RunAsync(CancellationToken.None).WaitAsync(Patience)).Should().ThrowAsync<SqsConfigurationException>();
        var result = await check.CheckHealthAsync(new HealthCheckContext());

        worker.Health.Should().Match<WorkerHealth>(h => !h.IsRunning && h.Fault == _noCredentials);
        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Be($"The worker stopped: {_noCredentials.Message}");
        result.Exception.Should().BeSameAs(_noCredentials);
    }

    [Fact]
    public async Task Run_ConfigurationErrorWhileATaskRuns_LetsItFinishAndDeletesItBeforeThrowing()
    {
        var taskStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sqs.SetupSequence(s => s.ReceiveMessagesAsync(TestMessages.QueueUrl, It.IsAny<ReceiveOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([TestMessages.Received(TestMessages.TaskBody(), receipt: "held")])
            .Returns(async () =>
            {
                // The error comes while the task runs: one that came before it started would release it unstarted, as a stop does.
                await taskStarted.Task;
                throw _noCredentials;
            });
        var deleted = new List<string>();
        _sqs.Setup(s => s.DeleteMessageBatchAsync(TestMessages.QueueUrl, It.IsAny<IReadOnlyList<ReceiptEntry>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<ReceiptEntry> entries, CancellationToken _) => deleted.AddRange(entries.Select(e => e.ReceiptHandle)))
            .ReturnsAsync((string _, IReadOnlyList<ReceiptEntry> entries, CancellationToken _) => new BatchResult(entries.Select(e => e.Id).ToList(), []));
        var finishTask = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var worker = Worker(handler: async (_, _) =>
        {
            taskStarted.SetResult();
            await finishTask.Task;
        });

        var running = worker.RunAsync(CancellationToken.None);
        await taskStarted.Task.WaitAsync(Patience);
        for (var i = 0; i < 400 && worker.Health.Fault is null; i++)
        {
            await Task.Delay(5);
        }

        worker.Health.Fault.Should().BeSameAs(_noCredentials);
        await Task.Delay(50);
        running.IsCompleted.Should().BeFalse("the task it holds runs to its end first");
        finishTask.SetResult();

        await FluentActions.Awaiting(() => running.WaitAsync(Patience)).Should().ThrowAsync<SqsConfigurationException>();
        deleted.Should().Equal(["held"], "the finished task is deleted before the worker stops");
    }
}
