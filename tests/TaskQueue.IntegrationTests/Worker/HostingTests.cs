using System.Collections.Concurrent;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.Testing;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests.Worker;

public class HostingTests
{
    /// <summary>Counts handler instances, to show a scope per message.</summary>
    public sealed class RecordingHandler(Journal journal) : ITaskHandler
    {
        private readonly Guid _instance = Guid.NewGuid();

        public Task HandleAsync(TaskMessage task, TaskContext context)
        {
            journal.Entries.Enqueue((task.EntityId, task.TaskName, _instance));
            return Task.CompletedTask;
        }
    }

    public sealed class Journal
    {
        public ConcurrentQueue<(string Entity, string Task, Guid Instance)> Entries { get; } = new();
    }

    private static IHost BuildHost(ISqsClient sqs, Dictionary<string, string?> settings, Journal journal) =>
        Host.CreateDefaultBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings))
            .ConfigureServices((context, services) =>
            {
                services.AddSingleton(sqs);
                services.AddSingleton(journal);
                services.AddTaskQueue(context.Configuration.GetSection("TaskQueue"))
                    .AddHandler<RecordingHandler>("ocr")
                    .AddHandler("classify", (sp, task, _) =>
                    {
                        sp.GetRequiredService<Journal>().Entries.Enqueue((task.EntityId, task.TaskName, Guid.Empty));
                        return Task.CompletedTask;
                    })
                    .AddWorker(o => o.ReceiveWaitTime = TimeSpan.FromSeconds(1));
            })
            .Build();

    [Fact]
    public void AddTaskQueue_FromConfiguration_BindsNestedTimeSpanEnumAndListOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskQueue:QueueUrl"] = "http://localhost/000000000000/documents.fifo",
            ["TaskQueue:WaitTime"] = "00:00:03",
            ["TaskQueue:DeduplicationMode"] = "Deterministic",
            ["TaskQueue:MaxMessageBytes"] = "2048",
            ["TaskQueue:RetryBackoff:InitialDelay"] = "00:00:07",
            ["TaskQueue:RetryBackoff:Multiplier"] = "1.5",
            ["TaskQueue:MessageAttributeNames:0"] = "tenant",
            ["TaskQueue:MessageAttributeNames:1"] = "audit.*",
        }).Build();
        var services = new ServiceCollection();
        services.AddTaskQueue(configuration.GetSection("TaskQueue"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TaskQueueOptions>>().Value;

        options.QueueUrl.Should().Be("http://localhost/000000000000/documents.fifo");
        options.WaitTime.Should().Be(TimeSpan.FromSeconds(3));
        options.DeduplicationMode.Should().Be(DeduplicationMode.Deterministic);
        options.MaxMessageBytes.Should().Be(2048);
        options.RetryBackoff.InitialDelay.Should().Be(TimeSpan.FromSeconds(7));
        options.RetryBackoff.Multiplier.Should().Be(1.5);
        options.RetryBackoff.MaxDelay.Should().Be(TimeSpan.FromMinutes(15), "a value the section does not name keeps its default");
        options.MessageAttributeNames.Should().Equal("tenant", "audit.*");
    }

    [Fact]
    public async Task AddTaskQueue_WorkerFromConfiguration_RoutesEachTaskToItsHandlerInAScopePerMessage()
    {
        var sqs = new InMemorySqsClient();
        await using var queues = await TestQueues.CreateAsync(sqs);
        var journal = new Journal();
        using var host = BuildHost(sqs, new() { ["TaskQueue:QueueUrl"] = queues.QueueUrl, ["TaskQueue:VisibilityTimeout"] = "00:00:30" }, journal);

        await host.StartAsync();
        var handler = host.Services.GetRequiredService<TaskQueueHandler>();
        handler.Options.VisibilityTimeout.Should().Be(TimeSpan.FromSeconds(30), "options are bound from configuration");
        await handler.EnqueueTasksAsync("doc-1", [new TaskSpec("ocr"), new TaskSpec("classify")]);
        await handler.EnqueueTasksAsync("doc-2", [new TaskSpec("ocr")]);
        await WorkerHarness.WaitUntilAsync(() => journal.Entries.Count >= 3, TimeSpan.FromSeconds(30), "three tasks");
        await host.StopAsync();

        journal.Entries.Select(e => (e.Entity, e.Task)).Should().BeEquivalentTo([("doc-1", "ocr"), ("doc-1", "classify"), ("doc-2", "ocr")]);
        journal.Entries.Where(e => e.Task == "ocr").Select(e => e.Instance).Should().OnlyHaveUniqueItems("each message gets its own scope");
        (await handler.GetQueueStatusAsync()).Should().Be(new QueueStatus(0, 0, 0, 0));
    }

    [Fact]
    public async Task AddTaskQueue_InvalidOptions_HostStartFailsNamingTheValue()
    {
        using var host = BuildHost(new InMemorySqsClient(), new() { ["TaskQueue:QueueUrl"] = "", ["TaskQueue:WaitTime"] = "00:01:00" }, new Journal());

        var act = () => host.StartAsync();

        var failure = await act.Should().ThrowAsync<OptionsValidationException>();
        failure.Which.Failures.Should().Contain(f => f.StartsWith("QueueUrl is required", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("WaitTime is 60 s", StringComparison.Ordinal));
    }

    [Fact]
    public void TaskRouter_TwoHandlersForOneName_Rejected()
    {
        var services = new ServiceCollection();
        services.AddTaskQueue(o => o.QueueUrl = "http://localhost/q.fifo").AddHandler("a", (_, _, _) => Task.CompletedTask).AddHandler("a", (_, _, _) => Task.CompletedTask);
        using var provider = services.BuildServiceProvider();

        var act = () => new TaskRouter(provider.GetRequiredService<IServiceScopeFactory>(), provider.GetServices<TaskHandlerRegistration>());

        act.Should().Throw<InvalidOperationException>().WithMessage("Task 'a' has two handlers*");
    }

    [Fact]
    public async Task TaskRouter_UnknownTaskName_ThrowsNamingTheRegisteredOnes()
    {
        var services = new ServiceCollection();
        services.AddTaskQueue(o => o.QueueUrl = "http://localhost/q.fifo").AddHandler("ocr", (_, _, _) => Task.CompletedTask);
        using var provider = services.BuildServiceProvider();
        var router = new TaskRouter(provider.GetRequiredService<IServiceScopeFactory>(), provider.GetServices<TaskHandlerRegistration>());
        TaskMessageParser.TryParse("""{"entity_id":"d","task_name":"ocrr"}""", out var task, out _).Should().BeTrue();

        var act = () => router.RouteAsync(task!, new TaskContext("m", 1, "g", CancellationToken.None));

        await act.Should().ThrowAsync<TaskHandlerNotFoundException>().WithMessage("No handler is registered for task 'ocrr' (registered: ocr)*");
    }
}
