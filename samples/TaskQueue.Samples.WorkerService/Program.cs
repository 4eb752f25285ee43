// A worker service: a Generic Host running the TaskQueue worker, configured from appsettings.json
// (section "TaskQueue" for the queue, "TaskQueueWorker" for the worker) and environment variables
// (TaskQueue__QueueUrl=...). For AWS, remove ServiceUrl; credentials come from the SDK's usual chain.
// For a local SQS-compatible server, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to any value.
// Create the queue first, e.g. `taskqueue --endpoint http://127.0.0.1:4566 queues create documents`.
// It publishes as a Native AOT binary (`dotnet publish -c Release`; tests/aot.sh publishes and runs it).
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TaskQueue.Health;
using TaskQueue.Hosting;
using TaskQueue.Samples.WorkerService;
using TaskQueue.Telemetry;

var builder = Host.CreateApplicationBuilder(args);

builder.Services
    .AddTaskQueue(builder.Configuration.GetSection("TaskQueue"))
    .AddHandler<OcrHandler>("ocr")
    .AddHandler("yearBuilt", (services, task, context) =>
    {
        // A delegate handler gets the message scope's services; a real one would compute something here.
        Console.WriteLine($"yearBuilt of {task.EntityId} (attempt {context.ReceiveCount})");
        return Task.CompletedTask;
    })
    .AddWorker(options => builder.Configuration.GetSection("TaskQueueWorker").Bind(options));

// Traces (producer and consumer spans joined across the queue) and metrics, printed to the console here;
// a real service adds its OTLP exporter instead.
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(TaskQueueDiagnostics.ActivitySourceName).AddConsoleExporter())
    .WithMetrics(metrics => metrics.AddMeter(TaskQueueDiagnostics.MeterName).AddConsoleExporter());

// Queue reachable and DLQ empty; worker loop alive and polling. Serve them with MapHealthChecks in a web host.
builder.Services.AddHealthChecks()
    .AddCheck<TaskQueueHealthCheck>("taskqueue")
    .AddCheck<TaskQueueWorkerHealthCheck>("taskqueue-worker");

// Longer than the worker's ShutdownTimeout and its receive wait (a poll under way is let finish),
// so running tasks end and pending deletes are flushed.
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(45));

await builder.Build().RunAsync();
