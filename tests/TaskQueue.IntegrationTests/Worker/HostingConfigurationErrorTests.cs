using System.Net;
using Amazon.SQS;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests.Worker;

public class HostingConfigurationErrorTests
{
    [Fact]
    public async Task HostedWorker_EndpointIsNotSqs_StopsTheHostWithTheErrorAndReportsUnhealthy()
    {
        using var server = StubHttpEndpoint.Start(_ => StubAnswer.WebPage(HttpStatusCode.NotFound));
        using var host = Host.CreateDefaultBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<IAmazonSQS>(NonSqsEndpointTests.SdkClient(server.Url));
                services.AddTaskQueue(o => o.QueueUrl = server.QueueUrl("orders.fifo"))
                    .AddHandler("ocr", (_, _, _) => Task.CompletedTask)
                    .AddWorker(o => o.ReceiveWaitTime = TimeSpan.FromSeconds(1));
                services.AddHealthChecks().AddTaskQueueWorker(tags: ["live"]);
            })
            .Build();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stopping.SetResult);

        await host.StartAsync();
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await host.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var service = host.Services.GetServices<IHostedService>().OfType<TaskQueueWorkerService>().Single();
        service.ExecuteTask.Should().NotBeNull();
        service.ExecuteTask!.Exception!.InnerException.Should().BeOfType<SqsConfigurationException>()
            .Which.Message.Should().Contain("the endpoint did not answer as SQS does");
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var health = report.Entries.Should().ContainKey("taskqueue-worker").WhoseValue;
        health.Tags.Should().Equal("live");
        health.Status.Should().Be(HealthStatus.Unhealthy);
        health.Description.Should().StartWith("The worker stopped: ReceiveMessage on queue ").And.Contain("the endpoint did not answer as SQS does");
    }
}
