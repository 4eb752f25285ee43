using System.Collections.Concurrent;
using System.Diagnostics;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Worker;

/// <summary>Several named queues in one host, on the in-memory SQS and on the local SQS server: routing per queue, strict priority.</summary>
public abstract class MultiQueueScenarios(ISqsBackend backend)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private sealed record Run(string Queue, string Entity, string Task, long Started, long Ended);

    private static IHost BuildHost(ISqsClient sqs, ConcurrentQueue<Run> runs, TestQueues orders, TestQueues emails, Action<IServiceCollection>? more = null,
        int ordersPriority = 0, int emailsPriority = 0, TimeSpan? taskTime = null) =>
        Host.CreateDefaultBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton(sqs);
                foreach (var (name, queues, priority) in new[] { ("orders", orders, ordersPriority), ("emails", emails, emailsPriority) })
                {
                    services.AddTaskQueue(name, o => o.QueueUrl = queues.QueueUrl)
                        .AddHandler("send", async (_, task, context) =>
                        {
                            var started = Stopwatch.GetTimestamp();
                            await Task.Delay(taskTime ?? TimeSpan.Zero, context.CancellationToken);
                            runs.Enqueue(new Run(name, task.EntityId, task.TaskName, started, Stopwatch.GetTimestamp()));
                        })
                        .AddWorker(o =>
                        {
                            o.ReceiveWaitTime = TimeSpan.FromSeconds(1);
                            o.MaxConcurrentTasks = 4;
                            o.Priority = priority;
                        });
                }

                more?.Invoke(services);
            })
            .Build();

    [Fact]
    public async Task TwoNamedQueues_EachWorkerRoutesOnlyItsOwnTasks_KeyedHandlersSendToTheirOwnQueue()
    {
        await using var orders = await TestQueues.CreateAsync(backend.Client);
        await using var emails = await TestQueues.CreateAsync(backend.Client);
        var runs = new ConcurrentQueue<Run>();
        using var host = BuildHost(backend.Client, runs, orders, emails);

        await host.StartAsync();
        var ordersHandler = host.Services.GetRequiredKeyedService<TaskQueueHandler>("orders");
        var emailsHandler = host.Services.GetRequiredKeyedService<TaskQueueHandler>("emails");
        await ordersHandler.EnqueueTasksAsync("order-1", [new TaskSpec("send")]);
        await ordersHandler.EnqueueTasksAsync("order-2", [new TaskSpec("send")]);
        await emailsHandler.EnqueueTasksAsync("mail-1", [new TaskSpec("send")]);
        await WorkerHarness.WaitUntilAsync(() => runs.Count >= 3, Patience, "three tasks");
        await host.StopAsync();

        ordersHandler.Options.QueueUrl.Should().Be(orders.QueueUrl);
        emailsHandler.Options.QueueUrl.Should().Be(emails.QueueUrl);
        runs.Select(r => (r.Queue, r.Entity)).Should().BeEquivalentTo([("orders", "order-1"), ("orders", "order-2"), ("emails", "mail-1")]);
        host.Services.GetRequiredKeyedService<TaskQueueWorker>("orders").Should().NotBeSameAs(host.Services.GetRequiredKeyedService<TaskQueueWorker>("emails"));
        (await ordersHandler.GetQueueStatusAsync()).Should().Be(new QueueStatus(0, 0, 0, 0));
        (await emailsHandler.GetQueueStatusAsync()).Should().Be(new QueueStatus(0, 0, 0, 0));
    }

    [Fact]
    public async Task StrictPriority_BothQueuesFull_EveryHighTaskEndsBeforeTheFirstLowTaskStarts_ThenTheLowQueueDrains()
    {
        await using var orders = await TestQueues.CreateAsync(backend.Client, visibilityTimeout: TimeSpan.FromSeconds(30));
        await using var emails = await TestQueues.CreateAsync(backend.Client, visibilityTimeout: TimeSpan.FromSeconds(30));
        var runs = new ConcurrentQueue<Run>();
        using var host = BuildHost(
            backend.Client, runs, orders, emails, s => s.AddTaskQueuePriority(QueuePriority.Strict), ordersPriority: 10, emailsPriority: 0, taskTime: TimeSpan.FromMilliseconds(50));
        var ordersHandler = host.Services.GetRequiredKeyedService<TaskQueueHandler>("orders");
        var emailsHandler = host.Services.GetRequiredKeyedService<TaskQueueHandler>("emails");
        for (var i = 0; i < 12; i++)
        {
            await ordersHandler.EnqueueTasksAsync($"order-{i}", [new TaskSpec("send")]);
            await emailsHandler.EnqueueTasksAsync($"mail-{i}", [new TaskSpec("send")]);
        }

        await host.StartAsync();
        await WorkerHarness.WaitUntilAsync(() => runs.Count >= 24, Patience, "all 24 tasks");
        await host.StopAsync();

        var high = runs.Where(r => r.Queue == "orders").ToList();
        var low = runs.Where(r => r.Queue == "emails").ToList();
        high.Should().HaveCount(12);
        low.Should().HaveCount(12);
        high.Max(r => r.Ended).Should().BeLessThanOrEqualTo(low.Min(r => r.Started), "the low queue receives only once the high one has no work");
    }

    [Fact]
    public async Task StrictPriority_HighQueueIdle_LowQueueRunsAndTheHostStopsCleanly()
    {
        await using var orders = await TestQueues.CreateAsync(backend.Client);
        await using var emails = await TestQueues.CreateAsync(backend.Client);
        var runs = new ConcurrentQueue<Run>();
        using var host = BuildHost(backend.Client, runs, orders, emails, s => s.AddTaskQueuePriority(QueuePriority.Strict), ordersPriority: 10);

        await host.StartAsync();
        await host.Services.GetRequiredKeyedService<TaskQueueHandler>("emails").EnqueueTasksAsync("mail-1", [new TaskSpec("send")]);
        await WorkerHarness.WaitUntilAsync(() => !runs.IsEmpty, Patience, "the low queue's task");
        await host.StopAsync();

        runs.Select(r => r.Queue).Should().Equal("emails");
        host.Services.GetRequiredKeyedService<TaskQueueWorker>("orders").Health.IsRunning.Should().BeFalse();
        host.Services.GetRequiredKeyedService<TaskQueueWorker>("emails").Health.IsRunning.Should().BeFalse();
    }
}

public sealed class InMemoryMultiQueueScenarios() : MultiQueueScenarios(new InMemoryRealTimeBackend());

public sealed class LocalServerMultiQueueScenarios() : MultiQueueScenarios(new LocalServerBackend());
