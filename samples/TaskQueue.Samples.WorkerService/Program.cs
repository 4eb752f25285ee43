// A worker service: a Generic Host running the TaskQueue worker, configured from appsettings.json
// (section "TaskQueue" for the queue, "TaskQueueWorker" for the worker) and environment variables
// (TaskQueue__QueueUrl=...). For AWS, remove ServiceUrl; credentials come from the SDK's usual chain.
// For a local SQS-compatible server, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to any value.
// Create the queue first, e.g. `taskqueue --endpoint http://127.0.0.1:4566 queues create documents`.
using TaskQueue.Hosting;
using TaskQueue.Samples.WorkerService;

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

// Longer than the worker's own ShutdownTimeout, so running tasks finish and pending deletes are flushed.
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));

await builder.Build().RunAsync();
