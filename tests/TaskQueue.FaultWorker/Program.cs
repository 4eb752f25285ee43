using System.Runtime.InteropServices;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.SQS;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue;
using TaskQueue.FaultWorker;
using TaskQueue.Sqs;

// A TaskQueueWorker in its own process, for the fault suite to SIGKILL, SIGTERM and restart.
// Each task's config may hold "id" (what the completion log records; else entity/task), "ms" (how long it runs) and
// "fail": true (it throws, until a worker runs with --failing fixed). With --ledger-table, entity completion is tracked
// in that DynamoDB table and every announcement recorded in the completion log.
// Exit codes: 0 after a graceful stop on SIGTERM or Ctrl+C, 2 for a bad command line.
WorkerArguments arguments;
try
{
    arguments = WorkerArguments.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var stop = new CancellationTokenSource();
void RequestStop(PosixSignalContext context)
{
    // Handled here: the runtime's default would end the process before the graceful shutdown.
    context.Cancel = true;
    stop.Cancel();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);

using var loggerFactory = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss.fff ";
    })
    .SetMinimumLevel(arguments.DebugLog ? LogLevel.Debug : LogLevel.Information));
var logger = loggerFactory.CreateLogger<TaskQueueWorker>();

using var sdk = new AmazonSQSClient(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig
{
    ServiceURL = arguments.Endpoint.ToString(),
    AuthenticationRegion = "us-east-1",
    Timeout = TimeSpan.FromSeconds(30),
    ConnectTimeout = TimeSpan.FromSeconds(2),
    MaxErrorRetry = 1,
});
using var completions = new CompletionLog(arguments.CompletionsPath);
using var dynamoDb = arguments.DynamoDbEndpoint is null ? null : new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig
{
    ServiceURL = arguments.DynamoDbEndpoint.ToString(),
    AuthenticationRegion = "us-east-1",
    Timeout = TimeSpan.FromSeconds(30),
    ConnectTimeout = TimeSpan.FromSeconds(2),
    MaxErrorRetry = 1,
    HttpClientFactory = new CountedDynamoDbRequests(completions),
});
var entityTracking = dynamoDb is null
    ? null
    : new EntityTracking(new DynamoDbEntityLedger(dynamoDb, new DynamoDbEntityLedgerOptions { TableName = arguments.LedgerTable! }), [new AnnouncementLog(completions)]);

var options = new TaskQueueOptions
{
    QueueUrl = arguments.QueueUrl,
    DeadLetterQueueUrl = arguments.DeadLetterQueueUrl,
    VisibilityTimeout = arguments.VisibilityTimeout,
    PoisonMessageHandling = arguments.MovePoison ? PoisonMessageHandling.MoveToDeadLetterQueue : PoisonMessageHandling.LeaveForRedrive,
    RetryBackoff = { InitialDelay = arguments.RetryBackoff, Multiplier = 1, MaxDelay = arguments.RetryBackoff, Jitter = BackoffJitter.None },
};
var workerOptions = new TaskQueueWorkerOptions
{
    MaxConcurrentTasks = arguments.Concurrency,
    ReceiveWaitTime = arguments.ReceiveWaitTime,
    ShutdownTimeout = arguments.ShutdownTimeout,
    DeleteFlushInterval = TimeSpan.FromMilliseconds(100),
    MaxErrorBackoff = TimeSpan.FromSeconds(2),
    DeadLetterCheckInterval = arguments.DeadLetterCheckInterval,
};

using var worker = new TaskQueueWorker(new AwsSqsClient(sdk), Options.Create(options), Options.Create(workerOptions), async (task, context) =>
{
    var id = task.TaskConfig.ValueKind == JsonValueKind.Object && task.TaskConfig.TryGetProperty("id", out var idValue)
        ? idValue.ToString()
        : $"{task.EntityId}/{task.TaskName}";
    completions.Started(id);
    if (task.TaskConfig.ValueKind == JsonValueKind.Object && task.TaskConfig.TryGetProperty("ms", out var ms) && ms.GetInt32() > 0)
    {
        await Task.Delay(ms.GetInt32(), context.CancellationToken);
    }

    if (!arguments.FailingTasksFixed && task.TaskConfig.ValueKind == JsonValueKind.Object && task.TaskConfig.TryGetProperty("fail", out var fail) && fail.GetBoolean())
    {
        completions.Failed(id);
        throw new InvalidOperationException($"task {id} always fails, as the fault suite asked");
    }

    completions.Completed(id);
}, logger, entityTracking: entityTracking);

await worker.RunAsync(stop.Token);
return 0;
