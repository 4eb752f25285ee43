using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.Testing;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests.Worker;

/// <summary>Flow control in a Generic Host: limits from configuration or the builder, pause and resume through the registered worker.</summary>
public class FlowHostingTests
{
    [Fact]
    public void AddWorker_TaskLimitsAndPauseReleaseAfterFromConfiguration_Bind()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskQueueWorker:PauseReleaseAfter"] = "00:02:00",
            ["TaskQueueWorker:TaskLimits:ocr:MaxConcurrency"] = "3",
            ["TaskQueueWorker:TaskLimits:ocr:RateLimit"] = "10",
            ["TaskQueueWorker:TaskLimits:ocr:RatePeriod"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection();
        services.AddTaskQueue(o => o.QueueUrl = "http://localhost/000000000000/documents.fifo")
            .AddWorker(o => configuration.GetSection("TaskQueueWorker").Bind(o));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TaskQueueWorkerOptions>>().Value;

        options.PauseReleaseAfter.Should().Be(TimeSpan.FromMinutes(2));
        options.TaskLimits["ocr"].Should().BeEquivalentTo(new TaskLimit { MaxConcurrency = 3, RateLimit = 10, RatePeriod = TimeSpan.FromSeconds(5) });
    }

    [Fact]
    public async Task Host_PauseThroughTheRegisteredWorker_HealthDegradedSayingPaused_ResumeRunsTheTasks()
    {
        var sqs = new InMemorySqsClient();
        await using var queues = await TestQueues.CreateAsync(sqs);
        var ran = 0;
        using var host = Host.CreateDefaultBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<ISqsClient>(sqs);
                services.AddTaskQueue(o => o.QueueUrl = queues.QueueUrl)
                    .AddHandler("ocr", (_, _, _) =>
                    {
                        Interlocked.Increment(ref ran);
                        return Task.CompletedTask;
                    })
                    .AddTaskLimit("ocr", maxConcurrency: 1)
                    .AddWorker(o => o.ReceiveWaitTime = TimeSpan.FromSeconds(1));
                services.AddHealthChecks().AddTaskQueueWorker();
            })
            .Build();
        await host.StartAsync();
        var worker = host.Services.GetRequiredService<TaskQueueWorker>();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        worker.Pause();
        var paused = await health.CheckHealthAsync();
        var handler = new TaskQueueHandler(sqs, Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl }));
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr")]);
        await handler.EnqueueTasksAsync("doc-2", [new TaskSpec("ocr")]);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var ranWhilePaused = Volatile.Read(ref ran);
        worker.Resume();
        await WorkerHarness.WaitUntilAsync(() => Volatile.Read(ref ran) == 2, TimeSpan.FromSeconds(30), "both tasks after the resume");
        var resumed = await health.CheckHealthAsync();
        await host.StopAsync();

        paused.Status.Should().Be(HealthStatus.Degraded);
        paused.Entries.Values.Single().Description.Should().Contain("paused");
        ranWhilePaused.Should().Be(0);
        resumed.Status.Should().Be(HealthStatus.Healthy);
    }
}
