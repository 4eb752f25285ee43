using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using TaskQueue.Benchmarks.Sqs;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.LargePayloads;

/// <summary>Peak memory of a worker process running one task whose body is in S3, the library's way or read as a string.</summary>
public sealed record PayloadMemoryResult(string Mode, long PayloadBytes, double BaselinePeakMiB, double PeakMiB, double PeakAboveBaselineMiB, double Seconds);

/// <summary>
/// One large task, produced in one process (<c>s3-produce</c>) and consumed in another (<c>s3-rss</c>), so the consumer's
/// peak resident set (VmHWM) holds what processing the task took and nothing of making it.
/// </summary>
public static class PayloadMemoryRunner
{
    /// <summary>Enqueues one task with a string of <paramref name="mebibytes"/> MiB in its config; returns "queueUrl bucket".</summary>
    public static async Task<string> ProduceAsync(int mebibytes, CancellationToken cancellationToken)
    {
        var meter = new RequestMeter(TimeSpan.Zero);
        using var sdk = SqsEndpoint.CreateClient(meter);
        using var s3 = S3Clients.Create(meter);
        var queueUrl = await SqsEndpoint.CreateFifoQueueAsync(sdk, "bench-rss", cancellationToken);
        var bucket = await S3Clients.CreateBucketAsync(s3, "rss");
        var options = new TaskQueueOptions { QueueUrl = queueUrl };
        options.LargePayloads.Bucket = bucket;
        var handler = new TaskQueueHandler(new AwsSqsClient(sdk), Options.Create(options), payloadStore: new S3PayloadStore(s3));
        var config = JsonSerializer.SerializeToElement(new { data = new string('x', mebibytes * 1_048_576) });
        var result = await handler.EnqueueTasksAsync("doc-large", [new TaskSpec("ocr", config)], cancellationToken: cancellationToken);
        return result.AllSucceeded ? $"{queueUrl} {bucket}" : throw new InvalidOperationException(result.Tasks[0].ErrorMessage);
    }

    /// <summary>Processes the one task: <c>library</c> through ProcessOne, <c>string</c> by reading the object as a string and parsing that.</summary>
    public static async Task<PayloadMemoryResult> ConsumeAsync(string queueUrl, string mode, CancellationToken cancellationToken)
    {
        var meter = new RequestMeter(TimeSpan.Zero);
        using var sdk = SqsEndpoint.CreateClient(meter);
        using var s3 = S3Clients.Create(meter);
        var sqs = new AwsSqsClient(sdk);
        var handler = new TaskQueueHandler(sqs, Options.Create(new TaskQueueOptions { QueueUrl = queueUrl, WaitTime = TimeSpan.FromSeconds(5) }), payloadStore: new S3PayloadStore(s3));

        // Warm up every code path on a small stored task in a queue of its own first, so the baseline holds the runtime,
        // JIT and clients.
        var warmUpQueue = await SqsEndpoint.CreateFifoQueueAsync(sdk, "bench-warm", cancellationToken);
        var warmUpOptions = new TaskQueueOptions { QueueUrl = warmUpQueue, WaitTime = TimeSpan.FromSeconds(5) };
        warmUpOptions.LargePayloads.Bucket = (await s3.ListBucketsAsync(cancellationToken)).Buckets[0].BucketName;
        warmUpOptions.LargePayloads.Threshold = 0;
        var warmUp = new TaskQueueHandler(sqs, Options.Create(warmUpOptions), payloadStore: new S3PayloadStore(s3));
        await warmUp.EnqueueTasksAsync("doc-warm", [new TaskSpec("warm-up")], cancellationToken: cancellationToken);
        await warmUp.ProcessOneAsync((_, _) => Task.CompletedTask, cancellationToken);
        await sqs.DeleteQueueAsync(warmUpQueue, CancellationToken.None);
        _ = JsonDocument.Parse("{\"a\":\"b\"}");
        GC.Collect();
        var baseline = PeakResidentBytes();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long length = 0;
        if (mode == "library")
        {
            var result = await handler.ProcessOneAsync((task, _) => Task.FromResult(length = JsonLength.Of(task.TaskConfig.GetProperty("data"))), cancellationToken);
            if (result?.Outcome != ProcessOutcome.Completed)
            {
                throw new InvalidOperationException($"the task did not complete: {result?.Outcome} {result?.PoisonReason} {result?.Error}");
            }
        }
        else
        {
            // What a consumer that reads the body as text does: the object as a string, parsed into a document kept past the read.
            var message = (await sqs.ReceiveMessagesAsync(queueUrl, new ReceiveOptions(1, TimeSpan.FromSeconds(5)), cancellationToken)).Single();
            using var pointer = JsonDocument.Parse(message.Body);
            var location = pointer.RootElement[1];
            using var response = await s3.GetObjectAsync(
                new GetObjectRequest { BucketName = location.GetProperty("s3BucketName").GetString(), Key = location.GetProperty("s3Key").GetString() }, cancellationToken);
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(cancellationToken);
            if (!TaskMessageParser.TryParse(body, out var task, out var error))
            {
                throw new InvalidOperationException(error);
            }

            length = JsonLength.Of(task.TaskConfig.GetProperty("data"));
            await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, cancellationToken);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var peak = PeakResidentBytes();
        await sqs.DeleteQueueAsync(queueUrl, CancellationToken.None);
        return new PayloadMemoryResult(mode, length, Mib(baseline), Mib(peak), Mib(peak - baseline), seconds);
    }

    private static double Mib(long bytes) => bytes / 1_048_576.0;

    /// <summary>The process's peak resident set (VmHWM in /proc/self/status), in bytes.</summary>
    private static long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no VmHWM in /proc/self/status");
    }
}
