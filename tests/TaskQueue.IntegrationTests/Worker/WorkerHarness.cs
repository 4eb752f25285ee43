using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.IntegrationTests.Worker;

/// <summary>One worker over test queues: started on construction, stopped by <see cref="StopAsync"/>, with a record of every task it ran.</summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskQueueWorker _worker;
    private readonly Task _running;

    public WorkerHarness(
        ISqsClient sqs,
        TestQueues queues,
        Func<TaskMessage, TaskContext, Task> handler,
        Action<TaskQueueOptions>? configure = null,
        Action<TaskQueueWorkerOptions>? configureWorker = null,
        EntityTracking? entityTracking = null,
        IPayloadStore? payloadStore = null)
        : this(
            sqs,
            queues,
            async (task, context) =>
            {
                await handler(task, context);
                return TaskOutcome.Completed;
            },
            configure,
            configureWorker,
            entityTracking,
            payloadStore)
    {
    }

    /// <summary>A worker whose handler chooses each task's outcome.</summary>
    public WorkerHarness(
        ISqsClient sqs,
        TestQueues queues,
        Func<TaskMessage, TaskContext, Task<TaskOutcome>> handler,
        Action<TaskQueueOptions>? configure = null,
        Action<TaskQueueWorkerOptions>? configureWorker = null,
        EntityTracking? entityTracking = null,
        IPayloadStore? payloadStore = null)
    {
        var options = new TaskQueueOptions
        {
            QueueUrl = queues.QueueUrl,
            DeadLetterQueueUrl = queues.DeadLetterQueueUrl,
            VisibilityTimeout = TimeSpan.FromSeconds(30),
            RetryBackoff = { InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 1, MaxDelay = TimeSpan.FromSeconds(1), Jitter = BackoffJitter.None },
        };
        configure?.Invoke(options);
        var workerOptions = new TaskQueueWorkerOptions { ReceiveWaitTime = TimeSpan.FromSeconds(1), DeleteFlushInterval = TimeSpan.FromMilliseconds(50) };
        configureWorker?.Invoke(workerOptions);
        _worker = new TaskQueueWorker(sqs, Options.Create(options), Options.Create(workerOptions), async (task, context) =>
        {
            var started = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _runningNow);
            try
            {
                InterlockedMax(Volatile.Read(ref _runningNow));
                var outcome = await handler(task, context);
                Runs.Enqueue(new TaskRun(task, context, started, Stopwatch.GetTimestamp(), Succeeded: true, outcome));
                return outcome;
            }
            catch
            {
                Runs.Enqueue(new TaskRun(task, context, started, Stopwatch.GetTimestamp(), Succeeded: false));
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _runningNow);
            }
        }, DebugLogger, entityTracking: entityTracking, payloadStore: payloadStore);
        _running = _worker.RunAsync(_stop.Token);
    }

    /// <summary>Set TASKQUEUE_TEST_LOG=1 to see the worker's log on the console while debugging a scenario.</summary>
    private static Microsoft.Extensions.Logging.ILogger<TaskQueueWorker>? DebugLogger =>
        Environment.GetEnvironmentVariable("TASKQUEUE_TEST_LOG") == "1"
            ? Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug)).CreateLogger<TaskQueueWorker>()
            : null;

    private int _runningNow;
    private int _maxRunning;

    /// <summary>The worker itself, to pause and resume it.</summary>
    public TaskQueueWorker Worker => _worker;

    /// <summary>Every run of a task, in the order they ended.</summary>
    public ConcurrentQueue<TaskRun> Runs { get; } = new();

    /// <summary>Most tasks seen running at once.</summary>
    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Succeeded => Runs.Count(r => r.Succeeded);

    /// <summary>Stops the worker and waits for its graceful shutdown.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>
    /// Waits until an asynchronous <paramref name="condition"/> (one that asks a server) holds, failing after
    /// <paramref name="timeout"/>. Awaited, never blocked on: a test thread blocked on a request starves the thread pool
    /// the workers of every test running alongside share, and a visibility heartbeat that ticks late lets a message go.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            deadline.Elapsed.Should().BeLessThan(timeout, $"waiting for {what}");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _worker.Dispose();
        _stop.Dispose();
    }

    private void InterlockedMax(int value)
    {
        int current;
        while ((current = Volatile.Read(ref _maxRunning)) < value && Interlocked.CompareExchange(ref _maxRunning, value, current) != current)
        {
        }
    }

    /// <summary>A raw task body in the wire format, with a sequence number in its config.</summary>
    public static string Body(string entityId, string taskName, int sequence) =>
        $$"""{"entity_id":"{{entityId}}","task_name":"{{taskName}}","task_config":{"seq":{{sequence.ToString(CultureInfo.InvariantCulture)}}},"metadata":{},"timestamp":"2026-11-23T10:15:30.123456+00:00","retry_count":0,"total_tasks":1}""";
}

/// <summary>One run of a task by the worker's handler: whether it returned, and the outcome it chose.</summary>
internal sealed record TaskRun(TaskMessage Task, TaskContext Context, long Started, long Ended, bool Succeeded, TaskOutcome? Outcome = null)
{
    public int Sequence => Task.TaskConfig.TryGetProperty("seq", out var seq) ? seq.GetInt32() : -1;
}
