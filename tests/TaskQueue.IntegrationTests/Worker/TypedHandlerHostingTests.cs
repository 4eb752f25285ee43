using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaskQueue.Testing;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests.Worker;

public sealed record ResizeConfig(int Width, int Height);

[JsonSerializable(typeof(ResizeConfig))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;

/// <summary>A typed handler in a Generic Host: configs that bind run, configs that do not go to the DLQ with the reason, unrun.</summary>
public class TypedHandlerHostingTests
{
    public sealed class ResizeHandler(ConcurrentQueue<(string Entity, ResizeConfig Config)> seen) : ITaskHandler<ResizeConfig>
    {
        public Task<TaskOutcome> HandleAsync(TaskMessage task, ResizeConfig config, TaskContext context)
        {
            seen.Enqueue((task.EntityId, config));
            return Task.FromResult(TaskOutcome.Completed);
        }
    }

    [Fact]
    public async Task TypedHandler_OneConfigBindsOneDoesNot_TheGoodOneRunsTheBadOneIsDeadLetteredWithTheReason()
    {
        var sqs = new InMemorySqsClient();
        await using var queues = await TestQueues.CreateAsync(sqs, maxReceiveCount: 5);
        var seen = new ConcurrentQueue<(string Entity, ResizeConfig Config)>();
        using var host = Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TaskQueue:QueueUrl"] = queues.QueueUrl,
                ["TaskQueue:DeadLetterQueueUrl"] = queues.DeadLetterQueueUrl,
            }))
            .ConfigureServices((context, services) =>
            {
                services.AddSingleton<Sqs.ISqsClient>(sqs);
                services.AddSingleton(seen);
                services.AddTaskQueue(context.Configuration.GetSection("TaskQueue"))
                    .AddHandler<ResizeHandler, ResizeConfig>("resize", HostingJsonContext.Default.ResizeConfig)
                    .AddWorker(o => o.ReceiveWaitTime = TimeSpan.FromSeconds(1));
            })
            .Build();

        await host.StartAsync();
        var handler = host.Services.GetRequiredService<TaskQueueHandler>();
        await handler.EnqueueTasksAsync("doc-1", [TaskSpec.Create("resize", new ResizeConfig(640, 480), HostingJsonContext.Default.ResizeConfig)]);
        await handler.EnqueueTasksAsync("doc-2", [new TaskSpec("resize", new Dictionary<string, object> { ["Width"] = "wide" })]);
        await WorkerHarness.WaitUntilAsync(async () => (await handler.GetQueueStatusAsync()).DeadLetters == 1 && !seen.IsEmpty, TimeSpan.FromSeconds(30), "one run and one dead letter");
        await host.StopAsync();

        seen.Should().Equal([("doc-1", new ResizeConfig(640, 480))]);
        var letter = (await handler.GetDlqMessagesAsync()).Should().ContainSingle().Subject;
        letter.EntityId.Should().Be("doc-2");
        letter.DeadLetterReason.Should().StartWith("task_config of task 'resize' does not bind to ResizeConfig");
        letter.Attempts.Should().Be(1, "a config that does not bind is never retried");
    }

    [Fact]
    public async Task TaskTimeout_HandlerOutlastsIt_TokenCancelledRunFailsAsTimedOutRetriedThenDeadLettered()
    {
        var sqs = new InMemorySqsClient();
        await using var queues = await TestQueues.CreateAsync(sqs, maxReceiveCount: 2);
        var runs = new ConcurrentQueue<bool>();
        using var host = Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TaskQueue:QueueUrl"] = queues.QueueUrl,
                ["TaskQueue:DeadLetterQueueUrl"] = queues.DeadLetterQueueUrl,
                ["TaskQueue:RetryBackoff:InitialDelay"] = "00:00:01",
                ["TaskQueue:RetryBackoff:MaxDelay"] = "00:00:01",
                ["TaskQueue:RetryBackoff:Jitter"] = "None",
            }))
            .ConfigureServices((context, services) =>
            {
                services.AddSingleton<Sqs.ISqsClient>(sqs);
                services.AddTaskQueue(context.Configuration.GetSection("TaskQueue"))
                    .AddHandler("slow", async (_, _, taskContext) =>
                    {
                        try
                        {
                            await Task.Delay(TimeSpan.FromMinutes(5), taskContext.CancellationToken);
                        }
                        finally
                        {
                            runs.Enqueue(taskContext.CancellationToken.IsCancellationRequested);
                        }
                    }, timeout: TimeSpan.FromSeconds(1))
                    .AddWorker(o => o.ReceiveWaitTime = TimeSpan.FromSeconds(1));
            })
            .Build();

        await host.StartAsync();
        var handler = host.Services.GetRequiredService<TaskQueueHandler>();
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("slow")]);
        await WorkerHarness.WaitUntilAsync(async () => (await handler.GetQueueStatusAsync()).DeadLetters == 1, TimeSpan.FromSeconds(30), "the timed-out task in the DLQ");
        await host.StopAsync();

        runs.Should().HaveCount(2, "each attempt is cut at the timeout, then retried until maxReceiveCount").And.OnlyContain(cancelled => cancelled);
        var letter = (await handler.GetDlqMessagesAsync()).Should().ContainSingle().Subject;
        letter.TaskName.Should().Be("slow");
    }
}
