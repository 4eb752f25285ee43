// A worker service: a Generic Host running the TaskQueue worker, configured from appsettings.json
// (section "TaskQueue" for the queue, "TaskQueueWorker" for the worker) and environment variables
// (TaskQueue__QueueUrl=...). The SQS client is configured as the AWS SDK's own: the "AWS" section (Region,
// ServiceURL, Profile) or AWS_ENDPOINT_URL_SQS; register your own with builder.Services.AddAWSService<IAmazonSQS>()
// and AddTaskQueue uses it. For AWS, remove ServiceURL; credentials come from the SDK's usual chain. For a local
// SQS-compatible server with no credentials configured, dummy ones are used and a log line says so.
// Create the queue first, e.g. `taskqueue --endpoint http://127.0.0.1:4566 queues create documents`.
// With "EntityEvents:TopicName" set, each document's completion and dead letters are announced on that SNS FIFO topic
// (created here; its endpoint as SQS's, or AWS_ENDPOINT_URL_SNS), and a listener queue subscribed to it prints them.
using Microsoft.Extensions.DependencyInjection;
// It publishes as a Native AOT binary (`dotnet publish -c Release`; tests/aot.sh publishes and runs it).
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TaskQueue;
using TaskQueue.Samples.WorkerService;
using TaskQueue.Testing;

var builder = Host.CreateApplicationBuilder(args);

// Entity events: the topic exists before the worker publishes to it; the listener, registered before the worker,
// subscribes its queue when the host starts.
var events = builder.Configuration.GetSection("EntityEvents");
EntityEventSettings? eventSettings = null;
if (events["TopicName"] is { Length: > 0 } topicName)
{
    var aws = builder.Configuration.GetAWSOptions();
    eventSettings = new EntityEventSettings(await EntityEventTopic.EnsureTopicAsync(topicName, aws), events["ListenerQueueName"] ?? "entity-events.fifo", aws);
    builder.Services.AddSingleton(eventSettings).AddHostedService<EntityEventListener>();
}

var taskQueue = builder.Services
    .AddTaskQueue(builder.Configuration.GetSection("TaskQueue"))
    .AddHandler<OcrHandler>("ocr")
    .AddHandler("yearBuilt", (services, task, context) =>
    {
        // A delegate handler gets the message scope's services; a real one would compute something here.
        Console.WriteLine($"yearBuilt of {task.EntityId} (attempt {context.ReceiveCount})");
        return Task.CompletedTask;
    })
    .AddWorker(options => builder.Configuration.GetSection("TaskQueueWorker").Bind(options));
if (eventSettings is not null)
{
    // One worker process here, so an in-memory ledger will do; workers that share a queue share a DynamoDbEntityLedger.
    taskQueue.AddEntityLedger(_ => new InMemoryEntityLedger()).PublishEntityEventsToSns(eventSettings.TopicArn);
}

// Traces (producer and consumer spans joined across the queue) and metrics, printed to the console here;
// a real service adds its OTLP exporter instead.
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(TaskQueueDiagnostics.ActivitySourceName).AddConsoleExporter())
    .WithMetrics(metrics => metrics.AddMeter(TaskQueueDiagnostics.MeterName).AddConsoleExporter());

// Queue reachable and DLQ empty; worker loop alive and polling. Serve them with MapHealthChecks in a web host.
builder.Services.AddHealthChecks()
    .AddTaskQueue()
    .AddTaskQueueWorker();

// Longer than the worker's ShutdownTimeout and its receive wait (a poll under way is let finish),
// so running tasks end and pending deletes are flushed.
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(45));

await builder.Build().RunAsync();
