using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TaskQueue.Benchmarks.Sqs;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.LargePayloads;

/// <summary>What the S3 path costs: tasks whose bodies go through S3, enqueued and run by the worker, with every SQS and S3 request counted.</summary>
public sealed record S3PathResult(
    int Tasks,
    int PayloadBytes,
    double EnqueueSeconds,
    double ProcessSeconds,
    double TasksPerSecond,
    double MegabytesPerSecond,
    IReadOnlyDictionary<string, long> SqsRequests,
    IReadOnlyDictionary<string, long> S3Requests,
    double SqsRequestsPerTask,
    double S3RequestsPerTask,
    long ObjectsLeft);

public static class S3PathRunner
{
    public static async Task<S3PathResult> RunAsync(int tasks, int payloadBytes, int concurrency, CancellationToken cancellationToken)
    {
        var sqsMeter = new RequestMeter(TimeSpan.Zero);
        var s3Meter = new RequestMeter(TimeSpan.Zero);
        using var sdk = SqsEndpoint.CreateClient(sqsMeter);
        using var s3 = S3Clients.Create(s3Meter);
        var sqs = new AwsSqsClient(sdk);
        var queueUrl = await SqsEndpoint.CreateFifoQueueAsync(sdk, "bench-s3", cancellationToken);
        var bucket = await S3Clients.CreateBucketAsync(s3, "path");
        var store = new S3PayloadStore(s3);
        var options = new TaskQueueOptions { QueueUrl = queueUrl, VisibilityTimeout = TimeSpan.FromMinutes(5) };
        options.LargePayloads.Bucket = bucket;
        var handler = new TaskQueueHandler(sqs, Options.Create(options), payloadStore: store);
        var config = JsonSerializer.SerializeToElement(new { data = new string('x', payloadBytes) });
        var setup = (sqsMeter.ByAction(), s3Meter.ByAction());

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < tasks; i++)
        {
            // One task per entity and call: each its own group, so the worker runs them in parallel.
            var result = await handler.EnqueueTasksAsync($"doc-{i}", [new TaskSpec("ocr", config)], cancellationToken: cancellationToken);
            if (!result.AllSucceeded)
            {
                throw new InvalidOperationException($"task {i} not enqueued: {result.Tasks[0].ErrorMessage}");
            }
        }

        var enqueueSeconds = clock.Elapsed.TotalSeconds;
        var done = 0;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var worker = new TaskQueueWorker(
            sqs,
            Options.Create(options),
            Options.Create(new TaskQueueWorkerOptions { MaxConcurrentTasks = concurrency, ReceiveWaitTime = TimeSpan.FromSeconds(1), DeleteFlushInterval = TimeSpan.FromMilliseconds(100) }),
            (task, _) =>
            {
                if (JsonLength.Of(task.TaskConfig.GetProperty("data")) != payloadBytes)
                {
                    throw new InvalidOperationException("payload changed on the way");
                }

                if (Interlocked.Increment(ref done) == tasks)
                {
                    allDone.TrySetResult();
                }

                return Task.CompletedTask;
            },
            payloadStore: store);
        clock.Restart();
        var running = worker.RunAsync(stop.Token);
        await allDone.Task.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
        var processSeconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await running;

        var left = (await s3.ListObjectsV2Async(new() { BucketName = bucket }, cancellationToken)).S3Objects?.Count ?? 0;
        var sqsRequests = Minus(sqsMeter.ByAction(), setup.Item1);
        var s3Requests = Minus(s3Meter.ByAction(), setup.Item2);
        // The listing above (one GET) is the benchmark's own check, not the library's.
        s3Requests["GET"] -= 1;
        await sqs.DeleteQueueAsync(queueUrl, CancellationToken.None);
        return new S3PathResult(
            tasks,
            payloadBytes,
            enqueueSeconds,
            processSeconds,
            tasks / processSeconds,
            tasks * (double)payloadBytes / 1_048_576 / processSeconds,
            sqsRequests,
            s3Requests,
            sqsRequests.Values.Sum() / (double)tasks,
            s3Requests.Values.Sum() / (double)tasks,
            left);
    }

    private static Dictionary<string, long> Minus(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before) =>
        after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));
}
