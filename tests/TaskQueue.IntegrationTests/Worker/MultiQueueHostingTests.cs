using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.IntegrationTests.Worker;

/// <summary>Named queues in the container: options, routers and services per name, beside the unnamed queue.</summary>
public class MultiQueueHostingTests
{
    [Fact]
    public void NamedQueues_OptionsPerName_RouterSeesOnlyItsOwnHandlers_UnnamedQueueUntouched()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Queues:orders:QueueUrl"] = "http://localhost/000000000000/orders.fifo",
            ["Queues:orders:VisibilityTimeout"] = "00:01:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ISqsClient>(new InMemorySqsClient());
        services.AddTaskQueue(o => o.QueueUrl = "http://localhost/000000000000/documents.fifo").AddHandler("ocr", (_, _, _) => Task.CompletedTask);
        var orders = services.AddTaskQueue("orders", configuration.GetSection("Queues:orders"))
            .AddHandler("ship", (_, _, _) => Task.CompletedTask)
            .AddTaskLimit("ship", maxConcurrency: 2)
            .AddWorker(o => o.Priority = 5);
        services.AddTaskQueue("emails", o => o.QueueUrl = "http://localhost/000000000000/emails.fifo").AddHandler("send", (_, _, _) => Task.CompletedTask);
        using var provider = services.BuildServiceProvider();

        orders.Name.Should().Be("orders");
        provider.GetRequiredService<TaskQueueHandler>().Options.QueueUrl.Should().EndWith("/documents.fifo");
        provider.GetRequiredKeyedService<TaskQueueHandler>("orders").Options.VisibilityTimeout.Should().Be(TimeSpan.FromMinutes(1));
        provider.GetRequiredKeyedService<TaskQueueHandler>("emails").Options.QueueUrl.Should().EndWith("/emails.fifo");
        var workerOptions = provider.GetRequiredService<IOptionsMonitor<TaskQueueWorkerOptions>>();
        workerOptions.Get("orders").Priority.Should().Be(5);
        workerOptions.Get("orders").TaskLimits.Should().ContainKey("ship");
        workerOptions.Get(Options.DefaultName).TaskLimits.Should().BeEmpty("a limit belongs to the queue it was added on");
        TaskRouter.For(provider, "orders").TaskNames.Should().Equal("ship");
        TaskRouter.For(provider, "emails").TaskNames.Should().Equal("send");
        TaskRouter.For(provider, Options.DefaultName).TaskNames.Should().Equal("ocr");
        provider.GetServices<IHostedService>().Should().HaveCount(1, "only the queue with AddWorker runs a worker");
    }

    [Fact]
    public async Task NamedQueue_InvalidOptions_HostStartFails_NamingTheValue()
    {
        using var host = Host.CreateDefaultBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<ISqsClient>(new InMemorySqsClient());
                services.AddTaskQueue("orders", o => o.QueueUrl = "http://localhost/000000000000/orders.fifo").AddWorker(o => o.Weight = 0);
            })
            .Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().Contain(f => f.StartsWith("Weight is 0", StringComparison.Ordinal));
    }

    [Fact]
    public void AddTaskQueue_BlankName_Rejected()
    {
        var act = () => new ServiceCollection().AddTaskQueue(" ", o => o.QueueUrl = "http://localhost/q.fifo");

        act.Should().Throw<ArgumentException>();
    }
}
