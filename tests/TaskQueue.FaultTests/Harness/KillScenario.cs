using System.Diagnostics;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.FaultTests.Harness;

/// <summary>What one SIGKILL caught: how many tasks had completed, and how many the killed worker was running.</summary>
public sealed record KillEvent(int CompletedBefore, int RunningAtKill);

/// <summary>The outcome of <see cref="KillScenario"/>.</summary>
public sealed record KillResult(
    int Tasks,
    int Groups,
    int MaxTaskMilliseconds,
    int Concurrency,
    TimeSpan VisibilityTimeout,
    IReadOnlyList<KillEvent> Kills,
    int Completed,
    int Missing,
    int DuplicateCompletions,
    int DuplicateBound,
    bool QueueEmpty,
    long DeadLetters,
    int FinalExitCode,
    TimeSpan Elapsed,
    string LogTail);

/// <summary>
/// Kill: tasks in many groups; the worker process SIGKILLed at random moments and restarted each time. Every task
/// must complete; a task completes twice only if a killed worker held it: running (at most MaxConcurrentTasks), or
/// finished with its delete not yet answered (at most 9 waiting for a batch to fill, plus a batch of 10 under way).
/// So the duplicates are at most kills × (MaxConcurrentTasks + 19).
/// </summary>
public static class KillScenario
{
    /// <param name="maxTaskMilliseconds">Each task runs a random 0 to this many ms: long enough that the kills land spread over the run.</param>
    public static async Task<KillResult> RunAsync(
        ISqsClient sqs, Uri endpoint, int tasks, int groups, int kills, int maxTaskMilliseconds, string workDirectory, int seed, TimeSpan patience)
    {
        const int concurrency = 16;

        // A finished task's slot is freed before its delete is answered: up to 9 wait for a batch to fill and 10 are under way.
        const int PendingDeletesAtMost = 19;
        var visibility = TimeSpan.FromSeconds(5);
        var random = new Random(seed);
        await using var queues = await TestQueues.CreateAsync(sqs, maxReceiveCount: 1000, visibilityTimeout: visibility, testName: "fault-kill");
        await FaultQueue.SendAsync(sqs, queues.QueueUrl, Enumerable.Range(0, tasks)
            .Select(i => ($"e{i % groups}-kill", FaultQueue.TaskBody($"e{i % groups}", "kill", $"k{i}", random.Next(0, maxTaskMilliseconds + 1))))
            .ToList());

        // One kill in each of kills + 1 equal stretches of the run, at a random point of it.
        var stretch = tasks / (kills + 1);
        var thresholds = Enumerable.Range(1, kills).Select(k => (k * stretch) - (stretch / 2) + random.Next(stretch)).ToList();

        var completions = Path.Combine(workDirectory, "kill-completions.log");
        var log = Path.Combine(workDirectory, "kill-worker.log");
        string[] workerArguments = ["--concurrency", "16", "--visibility", "5", "--receive-wait", "2"];
        var elapsed = Stopwatch.StartNew();
        var worker = WorkerProcess.Start(endpoint, queues.QueueUrl, queues.DeadLetterQueueUrl, completions, log, workerArguments);
        var events = new List<KillEvent>();
        try
        {
            foreach (var threshold in thresholds)
            {
                // Past the threshold, and the worker (a restarted one too) has completed a task: each kill hits a working worker.
                var current = worker;
                if (!await FaultQueue.WaitUntilAsync(
                    () => TaskRecords.Read(completions) is var r && r.CompletedDistinct >= threshold && r.Completions.Any(c => c.ProcessId == current.Id), patience))
                {
                    throw new TimeoutException($"{threshold} tasks were not completed within {patience}: {worker.LogTail()}");
                }

                await Task.Delay(random.Next(0, 250));
                await worker.KillAsync();
                var records = TaskRecords.Read(completions);
                events.Add(new KillEvent(records.CompletedDistinct, records.RunningIn(worker.Id)));
                await worker.DisposeAsync();
                worker = WorkerProcess.Start(endpoint, queues.QueueUrl, queues.DeadLetterQueueUrl, completions, log, workerArguments);
            }

            await FaultQueue.WaitUntilAsync(() => TaskRecords.Read(completions).CompletedDistinct >= tasks, patience);
            var queueEmpty = await FaultQueue.WaitUntilAsync(() => FaultQueue.IsEmptyAsync(sqs, queues.QueueUrl), TimeSpan.FromSeconds(30));
            elapsed.Stop();
            worker.Terminate();
            var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

            var final = TaskRecords.Read(completions);
            var expected = Enumerable.Range(0, tasks).Select(i => $"k{i}").ToHashSet();
            var completedIds = final.Completions.Select(r => r.TaskId).ToHashSet();
            return new KillResult(
                tasks, groups, maxTaskMilliseconds, concurrency, visibility, events,
                completedIds.Count(expected.Contains), expected.Count(id => !completedIds.Contains(id)),
                final.DuplicateCompletions, kills * (concurrency + PendingDeletesAtMost), queueEmpty,
                (await FaultQueue.CountsAsync(sqs, queues.DeadLetterQueueUrl)).Available,
                exitCode, elapsed.Elapsed, worker.LogTail());
        }
        finally
        {
            await worker.DisposeAsync();
        }
    }
}
