using System.Diagnostics;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SQS;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Samples.Demo;

/// <summary>One run of the demo, printing what happens as it happens.</summary>
internal sealed class DemoRun
{
    private const string FailingEntity = "doc-2";
    private const string FailingTask = "summarize";
    private const int MaxReceiveCount = 3;

    private static readonly string[] TaskNames = ["ocr", "classify", "summarize", "yearBuilt"];
    private static readonly string[] Entities = ["doc-1", "doc-2", "doc-3"];

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly EntityTracking _tracking;
    private int _completed;
    private volatile bool _fixed;

    private readonly DemoArguments _arguments;
    private readonly TextWriter _output;

    public DemoRun(DemoArguments arguments, TextWriter output)
    {
        _arguments = arguments;
        _output = output;
        // Each enqueue call is a batch; the ledger records every task's fate and the printer hears when a batch completes.
        _tracking = new EntityTracking(new InMemoryEntityLedger(), [new CompletionPrinter(Say)]);
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var (sqs, where) = CreateClient();
        Say($"SQS: {where}");

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var queues = await new QueueProvisioner(sqs).EnsureQueuesAsync(
            new QueueDefinition($"taskqueue-demo-{suffix}.fifo") { MaxReceiveCount = MaxReceiveCount, VisibilityTimeout = TimeSpan.FromSeconds(30) },
            cancellationToken);
        Say($"queue {queues.QueueUrl}");
        Say($"  DLQ {queues.DeadLetterQueueUrl} (after {MaxReceiveCount} receives)");

        try
        {
            var options = Options.Create(new TaskQueueOptions
            {
                QueueUrl = queues.QueueUrl,
                DeadLetterQueueUrl = queues.DeadLetterQueueUrl,
                VisibilityTimeout = TimeSpan.FromSeconds(30),
                RetryBackoff = { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(4) },
            });
            var handler = new TaskQueueHandler(sqs, options, entityTracking: _tracking);
            await EnqueueAsync(handler, cancellationToken);
            var expected = (Entities.Length * TaskNames.Length) - 1;
            await ProcessAsync(sqs, handler, options, s => Volatile.Read(ref _completed) >= expected && s.DeadLetters >= 1, cancellationToken);
            await ReportAsync(handler, cancellationToken);
            await FixAndRedriveAsync(sqs, handler, options, cancellationToken);
        }
        finally
        {
            await sqs.DeleteQueueAsync(queues.QueueUrl, CancellationToken.None);
            await sqs.DeleteQueueAsync(queues.DeadLetterQueueUrl, CancellationToken.None);
        }

        return 0;
    }

    private async Task EnqueueAsync(TaskQueueHandler handler, CancellationToken cancellationToken)
    {
        foreach (var entity in Entities)
        {
            var result = await handler.EnqueueTasksAsync(
                entity,
                TaskNames.Select(name => new TaskSpec(name, new { pages = entity.Length + name.Length })),
                new { tenant = "acme" },
                cancellationToken: cancellationToken);
            Say($"enqueued {entity}: {string.Join(", ", result.Tasks.Select(t => t.TaskName))} ({result.Tasks.Count(t => t.Succeeded)}/{result.Tasks.Count} sent)");
        }
    }

    private async Task ProcessAsync(
        ISqsClient sqs, TaskQueueHandler handler, IOptions<TaskQueueOptions> options, Func<QueueStatus, bool> done, CancellationToken cancellationToken)
    {
        var workerOptions = Options.Create(new TaskQueueWorkerOptions
        {
            MaxConcurrentTasks = 4,
            ReceiveWaitTime = TimeSpan.FromSeconds(1),
            DeleteFlushInterval = TimeSpan.FromMilliseconds(100),
        });
        using var worker = new TaskQueueWorker(sqs, options, workerOptions, HandleAsync, entityTracking: _tracking);
        using var stopWorker = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Say("worker started: 4 tasks at once, one at a time within a task's message group");
        var running = worker.RunAsync(stopWorker.Token);

        var deadline = _clock.Elapsed + TimeSpan.FromSeconds(60);
        while (!cancellationToken.IsCancellationRequested && _clock.Elapsed < deadline)
        {
            var status = await handler.GetQueueStatusAsync(cancellationToken);
            if (done(status) && status.Available + status.InFlight + status.Delayed == 0)
            {
                break;
            }

            await Task.Delay(250, cancellationToken);
        }

        await stopWorker.CancelAsync();
        await running;
        Say("worker stopped");
    }

    private async Task HandleAsync(TaskMessage task, TaskContext context)
    {
        var name = $"{task.EntityId}/{task.TaskName}";
        Say($"  > {name,-16} receive {context.ReceiveCount}");
        await Task.Delay(Random.Shared.Next(100, 400), context.CancellationToken);
        if (task.EntityId == FailingEntity && task.TaskName == FailingTask && !_fixed)
        {
            var last = context.ReceiveCount >= MaxReceiveCount ? "; that was its last attempt, so it goes to the DLQ" : "; it comes back after its backoff";
            Say($"  x {name,-16} failed: summarizer model unavailable{last}");
            throw new InvalidOperationException("summarizer model unavailable");
        }

        Interlocked.Increment(ref _completed);
        Say($"  + {name,-16} done");
    }

    private async Task ReportAsync(TaskQueueHandler handler, CancellationToken cancellationToken)
    {
        var status = await handler.GetQueueStatusAsync(cancellationToken);
        Say($"status: {status.Available} available, {status.InFlight} in flight, {status.Delayed} delayed, {status.DeadLetters} in the DLQ; {_completed} tasks completed");
        foreach (var dead in await handler.GetDlqMessagesAsync(10, cancellationToken))
        {
            Say($"dead letter: {dead.EntityId}/{dead.TaskName}, message {dead.MessageId}, receive count {dead.ReceiveCount} in the DLQ, enqueued {dead.EnqueuedAt:u}");
        }
    }

    /// <summary>The last step: the summarizer is "fixed", the dead letter redriven to the queue, and a worker completes it.</summary>
    private async Task FixAndRedriveAsync(ISqsClient sqs, TaskQueueHandler handler, IOptions<TaskQueueOptions> options, CancellationToken cancellationToken)
    {
        _fixed = true;
        Say("fixed the summarizer; redriving the dead letters of the failing task");
        var preview = await handler.RedriveDeadLettersAsync(new RedriveOptions { TaskName = FailingTask, DryRun = true }, cancellationToken);
        Say($"dry run: {preview.Matched.Count} would move ({string.Join(", ", preview.Matched.Select(m => $"{m.EntityId}/{m.TaskName}"))})");
        var redrive = await handler.RedriveDeadLettersAsync(new RedriveOptions { TaskName = FailingTask }, cancellationToken);
        Say($"redrive: {redrive.Moved} moved back to the queue, {redrive.Failed.Count} failed");

        var before = Volatile.Read(ref _completed);
        await ProcessAsync(sqs, handler, options, s => Volatile.Read(ref _completed) >= before + redrive.Moved && s.DeadLetters == 0, cancellationToken);
        var status = await handler.GetQueueStatusAsync(cancellationToken);
        Say($"status: {status.Available} available, {status.InFlight} in flight, {status.DeadLetters} in the DLQ; {_completed} tasks completed");
    }

    private (ISqsClient Client, string Description) CreateClient()
    {
        if (_arguments.Endpoint is null)
        {
            return (new InMemorySqsClient(), "in memory (pass --endpoint URL to use a server)");
        }

        var config = new AmazonSQSConfig { ServiceURL = _arguments.Endpoint.ToString(), AuthenticationRegion = "us-east-1" };
        return (new AwsSqsClient(new AmazonSQSClient(Credentials(), config)), _arguments.Endpoint.ToString());
    }

    /// <summary>The SDK's usual credential chain; local servers accept any key, so a dummy one where the chain finds none.</summary>
    private static AWSCredentials Credentials()
    {
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException)
        {
            return new BasicAWSCredentials("test", "test");
        }
    }

    private void Say(string line)
    {
        lock (_output)
        {
            _output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.00}s] {line}");
        }
    }
}
