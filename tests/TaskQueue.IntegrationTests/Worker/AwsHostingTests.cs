using System.Collections.Concurrent;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.SQS;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests.Worker;

/// <summary>AddTaskQueue takes the SQS client as AWS applications configure it: the "AWS" section, AWSOptions, AddAWSService.</summary>
public class AwsHostingTests
{
    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, EventId EventId, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, EventId, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((category, eventId, formatter(state, exception)));
        }
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, RecordingLoggerProvider? logs = null, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddProvider(logs ?? new RecordingLoggerProvider()));
        more?.Invoke(services);
        services.AddTaskQueue(configuration.GetSection("TaskQueue"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AmazonSqsFactory_AwsSectionWithLocalEndpointAndNoCredentials_ReachesTheQueueWithDummyCredentialsAndSaysSo()
    {
        await using var queues = await TestQueues.CreateAsync(LocalSqsServer.CreateClient());
        var logs = new RecordingLoggerProvider();
        await using var provider = Services(
            new() { ["AWS:ServiceURL"] = LocalSqsServer.Endpoint.ToString(), ["AWS:Region"] = "us-east-1", ["TaskQueue:QueueUrl"] = queues.QueueUrl },
            logs,
            services => services.AddSingleton<IAmazonSQS>(sp => AmazonSqsFactory.Create(sp, credentialsConfigured: () => false)));

        var status = await provider.GetRequiredService<TaskQueueHandler>().GetQueueStatusAsync();

        status.Should().Be(new QueueStatus(0, 0, 0, 0));
        logs.Entries.Should().ContainSingle(e => e.EventId.Id == 8001)
            .Which.Message.Should().Be($"SQS endpoint {LocalSqsServer.Endpoint} is given and no AWS credentials were found: using dummy credentials, which a local SQS server accepts");
    }

    [Fact]
    public async Task AmazonSqsFactory_CredentialsConfigured_KeepsTheSdkChainAndSaysNothing()
    {
        var logs = new RecordingLoggerProvider();
        var options = new AWSOptions { DefaultClientConfig = { ServiceURL = "http://127.0.0.1:1" }, Credentials = new BasicAWSCredentials("mine", "secret") };
        await using var provider = Services(
            new() { ["TaskQueue:QueueUrl"] = "http://127.0.0.1:1/000000000000/q.fifo" },
            logs,
            services => services.AddSingleton(options).AddSingleton<IAmazonSQS>(sp => AmazonSqsFactory.Create(sp, credentialsConfigured: () => false)));

        using var client = provider.GetRequiredService<IAmazonSQS>();

        options.Credentials.Should().BeOfType<BasicAWSCredentials>().Which.GetCredentials().AccessKey.Should().Be("mine");
        client.Config.ServiceURL.Should().StartWith("http://127.0.0.1:1");
        logs.Entries.Should().NotContain(e => e.EventId.Id == 8001);
    }

    [Fact]
    public async Task AddTaskQueue_NoClientRegistered_MakesOneFromTheAwsSection()
    {
        await using var provider = Services(new()
        {
            ["AWS:ServiceURL"] = "http://127.0.0.1:4599",
            ["AWS:Region"] = "eu-west-1",
            ["TaskQueue:QueueUrl"] = "http://127.0.0.1:4599/000000000000/q.fifo",
        });

        var client = provider.GetRequiredService<IAmazonSQS>();

        client.Config.ServiceURL.Should().StartWith("http://127.0.0.1:4599");
        client.Config.AuthenticationRegion.Should().Be("eu-west-1");
    }

    [Fact]
    public async Task AddTaskQueue_ClientRegisteredByTheApplication_UsesIt()
    {
        using var mine = LocalSqsServer.CreateSdkClient();
        await using var provider = Services(
            new() { ["TaskQueue:QueueUrl"] = "http://127.0.0.1:4599/000000000000/q.fifo" },
            more: services => services.AddSingleton<IAmazonSQS>(mine));

        provider.GetRequiredService<IAmazonSQS>().Should().BeSameAs(mine);
    }

    [Fact]
    public async Task AddHealthChecks_AddTaskQueue_RegistersTheQueueCheckUnderItsNameAndTags()
    {
        await using var queues = await TestQueues.CreateAsync(LocalSqsServer.CreateClient());
        await using var provider = Services(
            new() { ["TaskQueue:QueueUrl"] = queues.QueueUrl },
            more: services =>
            {
                services.AddSingleton<IAmazonSQS>(LocalSqsServer.SdkClient);
                services.AddHealthChecks().AddTaskQueue("queue", tags: ["ready"]);
            });

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries.Should().ContainKey("queue").WhoseValue;
        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Tags.Should().Equal("ready");
    }
}
