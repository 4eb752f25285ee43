using System.Diagnostics;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.FaultTests.Harness;

/// <summary>One SIGKILL of the server: how long it was down, and how soon after it answered again a task completed.</summary>
public sealed record ServerRestartEvent(int CompletedBefore, TimeSpan Downtime, TimeSpan FirstCompletionAfterRestart);

/// <summary>The outcome of <see cref="ServerRestartScenario"/>.</summary>
public sealed record ServerRestartResult(
    int Tasks,
    IReadOnlyList<ServerRestartEvent> Restarts,
    int Completed,
    int Missing,
    int DuplicateCompletions,
    int FailedCallsLogged,
    bool WorkerRodeThrough,
    bool QueueEmpty,
    int FinalExitCode,
    TimeSpan Elapsed,
    string LogTail);

/// <summary>
/// Server restart: a fauxqs of the suite's own with persistence on, SIGKILLed mid-run and started again on the same
/// port; the worker process keeps running through it (logs the failed calls, backs off, goes on) and completes every task.
/// </summary>
public static class ServerRestartScenario
{
    public static async Task<ServerRestartResult> RunAsync(int tasks, int restarts, string workDirectory, int seed, TimeSpan patience)
    {
        const int groups = 50;
        var random = new Random(seed);
        await using var server = await PersistentSqsServer.CreateAsync(Path.Combine(workDirectory, "restart-server"));
        using var sdk = server.CreateSdkClient();
        var sqs = new AwsSqsClient(sdk);
        await using var queues = await TestQueues.CreateAsync(sqs, maxReceiveCount: 1000, visibilityTimeout: TimeSpan.FromSeconds(5), testName: "fault-restart");
        await FaultQueue.SendAsync(sqs, queues.QueueUrl, Enumerable.Range(0, tasks)
            .Select(i => ($"e{i % groups}-restart", FaultQueue.TaskBody($"e{i % groups}", "restart", $"r{i}", random.Next(20, 60))))
            .ToList());

        var completions = Path.Combine(workDirectory, "restart-completions.log");
        var elapsed = Stopwatch.StartNew();
        await using var worker = WorkerProcess.Start(server.Endpoint, queues.QueueUrl, queues.DeadLetterQueueUrl, completions,
            Path.Combine(workDirectory, "restart-worker.log"), "--concurrency", "16", "--visibility", "5", "--receive-wait", "2");
        var events = new List<ServerRestartEvent>();
        for (var r = 1; r <= restarts; r++)
        {
            var threshold = tasks * r / (restarts + 1);
            if (!await FaultQueue.WaitUntilAsync(() => TaskRecords.Read(completions).CompletedDistinct >= threshold, patience))
            {
                throw new TimeoutException($"{threshold} tasks were not completed within {patience}: {worker.LogTail()}");
            }

            var completedBefore = TaskRecords.Read(completions).CompletedDistinct;
            var down = Stopwatch.StartNew();
            await server.KillAsync();
            // Down longer than the first few delete retries (about 3 s) and shorter than the 5 s visibility timeout:
            // finished tasks whose deletes failed meanwhile must not run again.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(3000, 4500)));
            await server.StartAsync();
            var downtime = down.Elapsed;
            var upAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (!await FaultQueue.WaitUntilAsync(() => TaskRecords.Read(completions).Completions.Any(c => c.UnixMilliseconds >= upAt), patience))
            {
                throw new TimeoutException(
                    $"no task completed within {patience} of restart {r} of the server ({completedBefore:N0} completed before it): {worker.LogTail()}");
            }

            var firstAfter = TaskRecords.Read(completions).Completions.Where(c => c.UnixMilliseconds >= upAt).Min(c => c.UnixMilliseconds);
            events.Add(new ServerRestartEvent(completedBefore, downtime, TimeSpan.FromMilliseconds(firstAfter - upAt)));
        }

        await FaultQueue.WaitUntilAsync(() => TaskRecords.Read(completions).CompletedDistinct >= tasks, patience);
        var queueEmpty = await FaultQueue.WaitUntilAsync(() => FaultQueue.IsEmptyAsync(sqs, queues.QueueUrl), TimeSpan.FromSeconds(30));
        elapsed.Stop();
        var rodeThrough = !worker.HasExited;
        worker.Terminate();
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var final = TaskRecords.Read(completions);
        var expected = Enumerable.Range(0, tasks).Select(i => $"r{i}").ToHashSet();
        var completedIds = final.Completions.Select(c => c.TaskId).ToHashSet();
        // Receives, deletes and visibility changes that failed while the server was down, each logged and retried.
        var failedCalls = File.ReadLines(worker.LogPath).Count(l => l.Contains(" failed", StringComparison.Ordinal) && l.Contains("warn:", StringComparison.Ordinal));
        return new ServerRestartResult(
            tasks, events, completedIds.Count(expected.Contains), expected.Count(id => !completedIds.Contains(id)), final.DuplicateCompletions,
            failedCalls, rodeThrough, queueEmpty, exitCode, elapsed.Elapsed, worker.LogTail());
    }
}
