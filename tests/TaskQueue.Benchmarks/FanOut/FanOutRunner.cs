using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using TaskQueue.Benchmarks.EndToEnd;
using TaskQueue.Benchmarks.Sqs;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.FanOut;

/// <summary>
/// FIFO fan-out through the library's worker on the local server, 10 tasks at once: 40 tasks of 100 ms in 40 message
/// groups (ideal 0.4 s), then all in one group (at least 4 s, in order); and 200 tasks of 20 to 300 ms in 200 groups,
/// which end one by one. The many-group cases run twice: with the default receive batching window and with one of 20 s,
/// which receives only once a batch's worth of slots is free (the rule before the window), for the receives each costs.
/// </summary>
public static class FanOutRunner
{
    private const int Concurrency = 10;

    /// <summary>A window longer than any case: receives wait for a batch's worth of free slots.</summary>
    private static readonly TimeSpan BatchOnly = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan DefaultWindow = new TaskQueueWorkerOptions().ReceiveBatchingWindow;

    /// <summary>Runs every case.</summary>
    public static async Task<FanOutResult> RunAsync(CancellationToken cancellationToken)
    {
        var meter = new RequestMeter(TimeSpan.Zero);
        using var sdk = SqsEndpoint.CreateClient(meter);
        var sqs = new AwsSqsClient(sdk);
        var even = new FanOutShape(40, ManyGroups: true, _ => TimeSpan.FromMilliseconds(100));
        // 20 to 300 ms, spread over the tasks without a pattern the slots could fall into step with.
        var spread = new FanOutShape(200, ManyGroups: true, seq => TimeSpan.FromMilliseconds(20 + (seq * 37 % 281)));

        // A warm-up of the worker path, so the first case does not pay for JIT.
        await CaseAsync(sdk, sqs, meter, even, DefaultWindow, cancellationToken).ConfigureAwait(false);
        return new FanOutResult(
            await CaseAsync(sdk, sqs, meter, even, DefaultWindow, cancellationToken).ConfigureAwait(false),
            await CaseAsync(sdk, sqs, meter, even with { ManyGroups = false }, DefaultWindow, cancellationToken).ConfigureAwait(false),
            await CaseAsync(sdk, sqs, meter, even, BatchOnly, cancellationToken).ConfigureAwait(false),
            await CaseAsync(sdk, sqs, meter, spread, DefaultWindow, cancellationToken).ConfigureAwait(false),
            await CaseAsync(sdk, sqs, meter, spread, BatchOnly, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<FanOutCase> CaseAsync(
        Amazon.SQS.IAmazonSQS sdk, AwsSqsClient sqs, RequestMeter meter, FanOutShape shape, TimeSpan window, CancellationToken cancellationToken)
    {
        var taskCount = shape.Tasks;
        var queueUrl = await SqsEndpoint.CreateFifoQueueAsync(sdk, "bench-fanout", cancellationToken).ConfigureAwait(false);
        try
        {
            var runId = Guid.NewGuid().ToString("N")[..8];
            // PerCall deduplication: the one-group case enqueues the same entity and task again and again.
            var handler = new TaskQueueHandler(sqs, Options.Create(new TaskQueueOptions { QueueUrl = queueUrl, DeduplicationMode = DeduplicationMode.PerCall }));
            if (shape.ManyGroups)
            {
                for (var entity = 0; entity < taskCount / 10; entity++)
                {
                    var tasks = Enumerable.Range(0, 10).Select(t => new TaskSpec("task" + t.ToString(CultureInfo.InvariantCulture), new { seq = entity * 10 + t })).ToList();
                    await handler.EnqueueTasksAsync($"fan-{runId}-{entity}", tasks, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                for (var seq = 0; seq < taskCount; seq++)
                {
                    await handler.EnqueueTasksAsync($"seq-{runId}", [new TaskSpec("step", new { seq })], cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }

            var order = new ConcurrentQueue<int>();
            var running = 0;
            var maxRunning = 0;
            var done = new DoneCounter(taskCount);
            var handled = new DoneCounter(taskCount);
            var receivesBefore = Receives(meter);
            using var worker = new TaskQueueWorker(
                DeleteObserver.Wrap(sqs, done),
                Options.Create(new TaskQueueOptions { QueueUrl = queueUrl }),
                Options.Create(new TaskQueueWorkerOptions { MaxConcurrentTasks = Concurrency, ReceiveWaitTime = TimeSpan.FromSeconds(2), ReceiveBatchingWindow = window }),
                async (task, context) =>
                {
                    var now = Interlocked.Increment(ref running);
                    InterlockedMax(ref maxRunning, now);
                    var seq = task.TaskConfig.GetProperty("seq").GetInt32();
                    order.Enqueue(seq);
                    await Task.Delay(shape.TaskTime(seq), context.CancellationToken).ConfigureAwait(false);
                    Interlocked.Decrement(ref running);
                    handled.Add(1);
                });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var start = Stopwatch.GetTimestamp();
            var run = worker.RunAsync(stop.Token);
            var lastHandled = await handled.Reached.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var lastDeleted = await done.Reached.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            // Counted before the stop: the long poll the stop cuts short is not one the tasks needed.
            var receives = Receives(meter) - receivesBefore;
            await stop.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);

            var seen = order.ToList();
            var inOrder = seen.SequenceEqual(Enumerable.Range(0, taskCount));
            var work = Enumerable.Range(0, taskCount).Sum(seq => shape.TaskTime(seq).TotalSeconds);
            var ideal = shape.ManyGroups ? work / Concurrency : work;
            return new FanOutCase(
                shape.ManyGroups ? taskCount : 1,
                taskCount,
                Concurrency,
                ideal,
                Stopwatch.GetElapsedTime(start, lastHandled).TotalSeconds,
                Stopwatch.GetElapsedTime(start, lastDeleted).TotalSeconds,
                maxRunning,
                seen.Count,
                inOrder,
                window.TotalMilliseconds,
                receives / (double)taskCount);
        }
        finally
        {
            await sqs.DeleteQueueAsync(queueUrl, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static long Receives(RequestMeter meter) => meter.ByAction().GetValueOrDefault("ReceiveMessage");

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

/// <summary>What a fan-out case enqueues: how many tasks, in a group each or all in one, and how long each runs.</summary>
internal sealed record FanOutShape(int Tasks, bool ManyGroups, Func<int, TimeSpan> TaskTime);

/// <summary>One fan-out case.</summary>
public sealed record FanOutCase(
    int Groups, int Tasks, int Concurrency, double IdealSeconds, double SecondsToLastHandled, double SecondsToLastDeleted,
    int MaxRunningAtOnce, int TasksRun, bool InEnqueueOrder, double BatchingWindowMs = 0, double ReceivesPerTask = 0);

/// <summary>The fan-out cases: the two of 40 tasks with the default window, and the many-group ones with a window of 20 s.</summary>
public sealed record FanOutResult(
    FanOutCase ManyGroups, FanOutCase OneGroup, FanOutCase? ManyGroupsBatchOnly = null, FanOutCase? Spread = null, FanOutCase? SpreadBatchOnly = null);
