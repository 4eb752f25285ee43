using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using TaskQueue.Benchmarks.EndToEnd;
using TaskQueue.Benchmarks.Sqs;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.FanOut;

/// <summary>
/// FIFO fan-out through the library's worker on the local server: 40 tasks of 100 ms with 10 at once, first in 40
/// message groups (ideal 0.4 s), then all in one group (at least 4 s, in order).
/// </summary>
public static class FanOutRunner
{
    private const int TaskCount = 40;
    private const int Concurrency = 10;
    private static readonly TimeSpan TaskTime = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs both cases.</summary>
    public static async Task<FanOutResult> RunAsync(CancellationToken cancellationToken)
    {
        var meter = new RequestMeter(TimeSpan.Zero);
        using var sdk = SqsEndpoint.CreateClient(meter);
        var sqs = new AwsSqsClient(sdk);

        // A warm-up of the worker path, so the first case does not pay for JIT.
        await CaseAsync(sdk, sqs, manyGroups: true, cancellationToken).ConfigureAwait(false);
        var many = await CaseAsync(sdk, sqs, manyGroups: true, cancellationToken).ConfigureAwait(false);
        var one = await CaseAsync(sdk, sqs, manyGroups: false, cancellationToken).ConfigureAwait(false);
        return new FanOutResult(many, one);
    }

    private static async Task<FanOutCase> CaseAsync(Amazon.SQS.IAmazonSQS sdk, AwsSqsClient sqs, bool manyGroups, CancellationToken cancellationToken)
    {
        var queueUrl = await SqsEndpoint.CreateFifoQueueAsync(sdk, "bench-fanout", cancellationToken).ConfigureAwait(false);
        try
        {
            var runId = Guid.NewGuid().ToString("N")[..8];
            // PerCall deduplication: the one-group case enqueues the same entity and task 40 times.
            var handler = new TaskQueueHandler(sqs, Options.Create(new TaskQueueOptions { QueueUrl = queueUrl, DeduplicationMode = DeduplicationMode.PerCall }));
            if (manyGroups)
            {
                for (var entity = 0; entity < TaskCount / 10; entity++)
                {
                    var tasks = Enumerable.Range(0, 10).Select(t => new TaskSpec("task" + t.ToString(CultureInfo.InvariantCulture), new { seq = entity * 10 + t })).ToList();
                    await handler.EnqueueTasksAsync($"fan-{runId}-{entity}", tasks, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                for (var seq = 0; seq < TaskCount; seq++)
                {
                    await handler.EnqueueTasksAsync($"seq-{runId}", [new TaskSpec("step", new { seq })], cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }

            var order = new ConcurrentQueue<int>();
            var running = 0;
            var maxRunning = 0;
            var done = new DoneCounter(TaskCount);
            var handled = new DoneCounter(TaskCount);
            using var worker = new TaskQueueWorker(
                DeleteObserver.Wrap(sqs, done),
                Options.Create(new TaskQueueOptions { QueueUrl = queueUrl }),
                Options.Create(new TaskQueueWorkerOptions { MaxConcurrentTasks = Concurrency, ReceiveWaitTime = TimeSpan.FromSeconds(2) }),
                async (task, context) =>
                {
                    var now = Interlocked.Increment(ref running);
                    InterlockedMax(ref maxRunning, now);
                    order.Enqueue(task.TaskConfig.GetProperty("seq").GetInt32());
                    await Task.Delay(TaskTime, context.CancellationToken).ConfigureAwait(false);
                    Interlocked.Decrement(ref running);
                    handled.Add(1);
                });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var start = Stopwatch.GetTimestamp();
            var run = worker.RunAsync(stop.Token);
            var lastHandled = await handled.Reached.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var lastDeleted = await done.Reached.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);

            var seen = order.ToList();
            var inOrder = seen.SequenceEqual(Enumerable.Range(0, TaskCount));
            var ideal = manyGroups ? TaskTime.TotalSeconds * TaskCount / Concurrency : TaskTime.TotalSeconds * TaskCount;
            return new FanOutCase(
                manyGroups ? TaskCount : 1,
                TaskCount,
                Concurrency,
                ideal,
                Stopwatch.GetElapsedTime(start, lastHandled).TotalSeconds,
                Stopwatch.GetElapsedTime(start, lastDeleted).TotalSeconds,
                maxRunning,
                seen.Count,
                inOrder);
        }
        finally
        {
            await sqs.DeleteQueueAsync(queueUrl, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

/// <summary>One fan-out case.</summary>
public sealed record FanOutCase(
    int Groups, int Tasks, int Concurrency, double IdealSeconds, double SecondsToLastHandled, double SecondsToLastDeleted,
    int MaxRunningAtOnce, int TasksRun, bool InEnqueueOrder);

/// <summary>Both fan-out cases.</summary>
public sealed record FanOutResult(FanOutCase ManyGroups, FanOutCase OneGroup);
