using FluentAssertions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.Testing;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests.Telemetry;

public class HealthCheckTests
{
    private static readonly IOptions<TaskQueueHealthCheckOptions> Thresholds = Options.Create(new TaskQueueHealthCheckOptions());

    private static Task<HealthCheckResult> CheckAsync(IHealthCheck check) => check.CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task QueueCheck_ReachableAndNoDeadLetters_Healthy()
    {
        var sqs = new InMemorySqsClient();
        await using var queues = await TestQueues.CreateAsync(sqs);
        var handler = new TaskQueueHandler(sqs, Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl }));
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("a")]);

        var result = await CheckAsync(new TaskQueueHealthCheck(handler, Thresholds));

        result.Status.Should().Be(HealthStatus.Healthy);
        result.Data["available"].Should().Be(1L);
        result.Data["dead_letters"].Should().Be(0L);
    }

    [Fact]
    public async Task QueueCheck_DeadLettersOverThreshold_Degraded()
    {
        var sqs = new InMemorySqsClient();
        await using var queues = await TestQueues.CreateAsync(sqs);
        await sqs.SendMessageBatchAsync(queues.DeadLetterQueueUrl, [new OutgoingMessage("0", "{}", "g", "d")]);
        var handler = new TaskQueueHandler(sqs, Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl }));

        var result = await CheckAsync(new TaskQueueHealthCheck(handler, Thresholds));
        var tolerant = await CheckAsync(new TaskQueueHealthCheck(handler, Options.Create(new TaskQueueHealthCheckOptions { DeadLetterThreshold = 1 })));

        result.Status.Should().Be(HealthStatus.Degraded);
        result.Description.Should().StartWith("1 dead letters, over the threshold of 0");
        tolerant.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task QueueCheck_QueueGone_Unhealthy()
    {
        var handler = new TaskQueueHandler(new InMemorySqsClient(), Options.Create(new TaskQueueOptions { QueueUrl = "http://in-memory-sqs/000000000000/missing.fifo" }));

        var result = await CheckAsync(new TaskQueueHealthCheck(handler, Thresholds));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("missing.fifo is not reachable");
    }

    [Fact]
    public async Task WorkerCheck_NotStartedRunningAndReceivesFailing_UnhealthyHealthyDegraded()
    {
        var sqs = new InMemorySqsClient();
        await using var queues = await TestQueues.CreateAsync(sqs);
        var failing = new SwitchableSqsClient(sqs);
        using var worker = new TaskQueueWorker(
            failing,
            Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl }),
            Options.Create(new TaskQueueWorkerOptions { ReceiveWaitTime = TimeSpan.FromSeconds(1) }),
            (_, _) => Task.CompletedTask);
        var check = new TaskQueueWorkerHealthCheck(worker, Thresholds, TimeProvider.System);

        (await CheckAsync(check)).Status.Should().Be(HealthStatus.Unhealthy, "not started");

        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await Worker.WorkerHarness.WaitUntilAsync(async () => (await CheckAsync(check)).Status == HealthStatus.Healthy, TimeSpan.FromSeconds(10), "healthy");

        failing.Fail = true;
        await Worker.WorkerHarness.WaitUntilAsync(async () => (await CheckAsync(check)).Status == HealthStatus.Degraded, TimeSpan.FromSeconds(10), "degraded");
        failing.Fail = false;
        await Worker.WorkerHarness.WaitUntilAsync(async () => (await CheckAsync(check)).Status == HealthStatus.Healthy, TimeSpan.FromSeconds(10), "healthy again");

        await stop.CancelAsync();
        await running;
        (await CheckAsync(check)).Status.Should().Be(HealthStatus.Unhealthy, "stopped");
    }

    /// <summary>The in-memory SQS whose receives fail while <see cref="Fail"/> is set, like a server that went away.</summary>
    private sealed class SwitchableSqsClient(ISqsClient inner) : DelegatingSqsClient(inner)
    {
        public volatile bool Fail;

        public override Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default) =>
            Fail ? throw new SqsRequestException("connection refused", null, isTransient: true, null) : Inner.ReceiveMessagesAsync(queueUrl, options, cancellationToken);
    }
}
