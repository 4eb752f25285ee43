using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.FaultTests.Harness;

/// <summary>The outcome of <see cref="LongTaskScenario"/>.</summary>
public sealed record LongTaskResult(
    int LongTasks,
    TimeSpan TaskDuration,
    TimeSpan VisibilityTimeout,
    int Workers,
    int MaxExecutionsOfALongTask,
    int LongTaskExecutions,
    int ShortTasksCompleted,
    bool QueueEmpty,
    IReadOnlyList<int> ExitCodes,
    string LogTail);

/// <summary>
/// Long task: tasks lasting three visibility timeouts, with two workers competing for the queue. The heartbeat keeps
/// each hidden, so each runs exactly once; the queue is empty at the end, so none can run again later.
/// </summary>
public static class LongTaskScenario
{
    public static async Task<LongTaskResult> RunAsync(ISqsClient sqs, Uri endpoint, int longTasks, string workDirectory, TimeSpan patience)
    {
        var visibility = TimeSpan.FromSeconds(5);
        var duration = visibility * 3;
        const int shortTasks = 20;
        await using var queues = await TestQueues.CreateAsync(sqs, maxReceiveCount: 100, visibilityTimeout: visibility, testName: "fault-long");
        await FaultQueue.SendAsync(sqs, queues.QueueUrl, Enumerable.Range(0, longTasks)
            .Select(i => ($"long{i}", FaultQueue.TaskBody($"long{i}", "long", $"L{i}", (int)duration.TotalMilliseconds)))
            .Concat(Enumerable.Range(0, shortTasks).Select(i => ($"short{i % 5}", FaultQueue.TaskBody($"short{i % 5}", "short", $"S{i}", 50))))
            .ToList());

        var completions = Path.Combine(workDirectory, "long-completions.log");
        string[] arguments = ["--concurrency", (longTasks + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), "--visibility", "5", "--receive-wait", "1"];
        await using var a = WorkerProcess.Start(endpoint, queues.QueueUrl, queues.DeadLetterQueueUrl, completions, Path.Combine(workDirectory, "long-a.log"), arguments);
        await using var b = WorkerProcess.Start(endpoint, queues.QueueUrl, queues.DeadLetterQueueUrl, completions, Path.Combine(workDirectory, "long-b.log"), arguments);

        await FaultQueue.WaitUntilAsync(() => TaskRecords.Read(completions).CompletedDistinct >= longTasks + shortTasks, patience);
        var queueEmpty = await FaultQueue.WaitUntilAsync(() => FaultQueue.IsEmptyAsync(sqs, queues.QueueUrl), TimeSpan.FromSeconds(30));
        a.Terminate();
        b.Terminate();
        var exitCodes = new[] { await a.WaitForExitAsync(patience), await b.WaitForExitAsync(patience) };

        var records = TaskRecords.Read(completions);
        var longStarts = records.Starts.Where(s => s.TaskId.StartsWith('L')).GroupBy(s => s.TaskId).ToList();
        return new LongTaskResult(
            longTasks, duration, visibility, 2,
            longStarts.Count == 0 ? 0 : longStarts.Max(g => g.Count()),
            longStarts.Sum(g => g.Count()),
            records.Completions.Where(c => c.TaskId.StartsWith('S')).Select(c => c.TaskId).Distinct().Count(),
            queueEmpty, exitCodes, a.LogTail() + "\n---\n" + b.LogTail());
    }
}
