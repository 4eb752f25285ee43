using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using TaskQueue.Benchmarks.EndToEnd;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.Micro;

/// <summary>
/// The worker's own cost per task, without a network: a <see cref="TaskQueueWorker"/> with the end-to-end run's settings
/// (2 pollers, 20 tasks at once, heartbeat on, a no-op handler) over <see cref="PreparedFeedSqsClient"/>. Each task is in
/// a group of its own and has a small config and metadata, as written by the library. Every round runs a fresh worker;
/// warm-up rounds (until the JIT has settled) come before three measured ones, of which the one with the median CPU time
/// is reported: the machines are shared, and one round can meet a neighbour's burst.
/// </summary>
public static class WorkerLoopRunner
{
    private const int DistinctMessages = 50_000;
    private const int MeasuredRounds = 3;

    /// <summary>Runs warm-up rounds, then measured rounds of <paramref name="tasks"/> tasks; the median one's figures.</summary>
    public static async Task<WorkerLoopResult> RunAsync(int tasks, CancellationToken cancellationToken)
    {
        var feed = new PreparedFeedSqsClient(PreparedMessages());
        await JitSettling.WarmUpAsync(_ => RoundAsync(feed, Math.Max(tasks / 5, 1), cancellationToken), cancellationToken).ConfigureAwait(false);
        var rounds = new List<WorkerLoopResult>();
        for (var i = 0; i < MeasuredRounds; i++)
        {
            rounds.Add(await MeasuredRoundAsync(feed, tasks, cancellationToken).ConfigureAwait(false));
        }

        return rounds.OrderBy(r => r.CpuMicrosecondsPerTask).ElementAt(MeasuredRounds / 2) with
        {
            CpuMicrosecondsPerTaskOfEachRound = [.. rounds.Select(r => r.CpuMicrosecondsPerTask)],
        };
    }

    private static async Task<WorkerLoopResult> MeasuredRoundAsync(PreparedFeedSqsClient feed, int tasks, CancellationToken cancellationToken)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var collections = GC.CollectionCount(0);
        var started = Stopwatch.GetTimestamp();
        await RoundAsync(feed, tasks, cancellationToken).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        self.Refresh();
        return new WorkerLoopResult(
            tasks,
            seconds,
            tasks / seconds,
            (self.TotalProcessorTime - cpu).TotalMicroseconds / tasks,
            (double)(GC.GetTotalAllocatedBytes(precise: false) - allocated) / tasks,
            GC.CollectionCount(0) - collections);
    }

    /// <summary>Runs a worker until the round's tasks are all deleted, then stops it.</summary>
    private static async Task RoundAsync(PreparedFeedSqsClient feed, int tasks, CancellationToken cancellationToken)
    {
        var options = Options.Create(new TaskQueueOptions { QueueUrl = "http://127.0.0.1/000000000000/worker-loop.fifo", VisibilityTimeout = TimeSpan.FromSeconds(60) });
        var workerOptions = Options.Create(new TaskQueueWorkerOptions { MaxConcurrentTasks = 20, PollerCount = 2, ReceiveWaitTime = TimeSpan.FromSeconds(2) });
        using var worker = new TaskQueueWorker(feed, options, workerOptions, (_, _) => Task.CompletedTask);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var allDeleted = feed.StartRound(tasks);
        var running = worker.RunAsync(stop.Token);
        await allDeleted.WaitAsync(cancellationToken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
    }

    /// <summary>Messages as SQS returns them to the worker's receive: the two system attributes it asks for, no message attributes.</summary>
    private static ReceivedMessage[] PreparedMessages()
    {
        var noAttributes = new Dictionary<string, string>();
        var messages = new ReceivedMessage[DistinctMessages];
        for (var i = 0; i < messages.Length; i++)
        {
            var entity = string.Create(CultureInfo.InvariantCulture, $"doc-{i / 10}");
            var task = string.Create(CultureInfo.InvariantCulture, $"task{i % 10}");
            var body = string.Create(CultureInfo.InvariantCulture,
                $$"""{"entity_id":"{{entity}}","task_name":"{{task}}","task_config":{"language":"en","pages":{{i % 7}}},"metadata":{"tenant":"acme"},"timestamp":"2026-11-28T10:15:30.123456+00:00","retry_count":0,"total_tasks":10}""");
            messages[i] = new ReceivedMessage(
                string.Create(CultureInfo.InvariantCulture, $"m-{i}"),
                string.Create(CultureInfo.InvariantCulture, $"receipt-{i}"),
                body,
                noAttributes,
                new Dictionary<string, string>
                {
                    [SystemAttributeNames.ApproximateReceiveCount] = "1",
                    [SystemAttributeNames.MessageGroupId] = $"{entity}-{task}",
                });
        }

        return messages;
    }
}

/// <summary>The measured round of <see cref="WorkerLoopRunner"/>.</summary>
/// <param name="CpuMicrosecondsPerTask">This process's CPU time over the round, per task.</param>
/// <param name="Gen0Collections">Garbage collections (of generation 0 and up) during the round.</param>
public sealed record WorkerLoopResult(int Tasks, double Seconds, double TasksPerSecond, double CpuMicrosecondsPerTask, double AllocatedBytesPerTask, int Gen0Collections)
{
    /// <summary>The CPU time per task of every measured round, in the order run.</summary>
    public IReadOnlyList<double> CpuMicrosecondsPerTaskOfEachRound { get; init; } = [];
}
