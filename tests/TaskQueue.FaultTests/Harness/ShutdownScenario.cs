using System.Diagnostics;
using System.Text.RegularExpressions;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.FaultTests.Harness;

/// <summary>The outcome of <see cref="ShutdownScenario"/>.</summary>
public sealed record ShutdownResult(
    int Groups,
    TimeSpan LongTask,
    TimeSpan VisibilityTimeout,
    int LongTasksRunningAtSigterm,
    int LongTasksCompletedByStoppedWorker,
    int StartsAfterSigterm,
    int ExitCode,
    TimeSpan SigtermToExit,
    int ReleasedMessages,
    IReadOnlyList<TimeSpan> PickupDelays,
    bool AllDone,
    int DuplicateCompletions,
    bool QueueEmpty,
    string LogTail);

/// <summary>
/// Shutdown: worker A runs a long task in each group (more tasks wait behind each, in order); worker B starts; A gets
/// SIGTERM. A must finish its long tasks, start nothing new, release what it received and did not start, and exit 0;
/// B must take each group's next task at once, not after the visibility timeout. The pickup delay of a group is from A's
/// completion of its long task to B's start of the next one (A's delete and any release included).
/// </summary>
public static partial class ShutdownScenario
{
    public static async Task<ShutdownResult> RunAsync(ISqsClient sqs, Uri endpoint, int groups, string workDirectory, TimeSpan patience)
    {
        var visibility = TimeSpan.FromSeconds(30);
        var longTask = TimeSpan.FromSeconds(8);
        const int following = 3;
        await using var queues = await TestQueues.CreateAsync(sqs, maxReceiveCount: 100, visibilityTimeout: visibility, testName: "fault-shutdown");
        await FaultQueue.SendAsync(sqs, queues.QueueUrl, Enumerable.Range(0, groups)
            .SelectMany(g => new[] { ($"s{g}", FaultQueue.TaskBody($"s{g}", "shutdown", $"L{g}", (int)longTask.TotalMilliseconds)) }
                .Concat(Enumerable.Range(0, following).Select(n => ($"s{g}", FaultQueue.TaskBody($"s{g}", "shutdown", $"F{g}-{n}", 10)))))
            .ToList());

        var completions = Path.Combine(workDirectory, "shutdown-completions.log");
        // Room for two more than the groups: A keeps a receive going, so it may receive after the stop and must release.
        string[] common = ["--concurrency", (groups + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), "--visibility", "30", "--log", "debug"];
        await using var a = WorkerProcess.Start(endpoint, queues.QueueUrl, queues.DeadLetterQueueUrl, completions, Path.Combine(workDirectory, "shutdown-a.log"), [.. common, "--receive-wait", "5"]);
        if (!await FaultQueue.WaitUntilAsync(() => TaskRecords.Read(completions).Starts.Count(s => s.ProcessId == a.Id) >= groups, patience))
        {
            throw new TimeoutException($"worker A did not start the {groups} long tasks: {a.LogTail()}");
        }

        var bLog = Path.Combine(workDirectory, "shutdown-b.log");
        await using var b = WorkerProcess.Start(endpoint, queues.QueueUrl, queues.DeadLetterQueueUrl, completions, bLog, [.. common, "--receive-wait", "1"]);
        await FaultQueue.WaitUntilAsync(() => File.Exists(bLog) && File.ReadAllText(bLog).Contains("Worker started", StringComparison.Ordinal), patience);

        var sigtermAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var running = TaskRecords.Read(completions).RunningIn(a.Id);
        var stopping = Stopwatch.StartNew();
        a.Terminate();
        var exitCode = await a.WaitForExitAsync(patience);
        var sigtermToExit = stopping.Elapsed;

        var total = groups * (1 + following);
        var allDone = await FaultQueue.WaitUntilAsync(() => TaskRecords.Read(completions).CompletedDistinct >= total, patience);
        var queueEmpty = await FaultQueue.WaitUntilAsync(() => FaultQueue.IsEmptyAsync(sqs, queues.QueueUrl), TimeSpan.FromSeconds(30));
        b.Terminate();
        await b.WaitForExitAsync(patience);

        var records = TaskRecords.Read(completions);
        var delays = Enumerable.Range(0, groups).Select(g =>
        {
            var longDone = records.Completions.Where(c => c.TaskId == $"L{g}").Select(c => c.UnixMilliseconds).DefaultIfEmpty(0).Min();
            var nextStart = records.Starts.Where(s => s.TaskId == $"F{g}-0").Select(s => s.UnixMilliseconds).DefaultIfEmpty(long.MaxValue).Min();
            return TimeSpan.FromMilliseconds(nextStart - longDone);
        }).ToList();
        var released = ReleasedPattern().Matches(File.ReadAllText(a.LogPath)).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        return new ShutdownResult(
            groups, longTask, visibility, running,
            records.Completions.Count(c => c.ProcessId == a.Id && c.TaskId.StartsWith('L')),
            records.Starts.Count(s => s.ProcessId == a.Id && s.UnixMilliseconds > sigtermAt),
            exitCode, sigtermToExit, released, delays, allDone, records.DuplicateCompletions, queueEmpty, a.LogTail());
    }

    [GeneratedRegex(@"Released (\d+) messages")]
    private static partial Regex ReleasedPattern();
}
