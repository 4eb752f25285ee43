using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;

namespace TaskQueue.FaultTests.Harness;

/// <summary>The outcome of <see cref="PoisonScenario"/>.</summary>
public sealed record PoisonResult(
    string Handling,
    int Valid,
    int Hostile,
    IReadOnlyDictionary<string, int> HostileByKind,
    int LargestBodyBytes,
    int ValidCompleted,
    int ValidDuplicates,
    long DeadLetters,
    int HostileFoundInDlq,
    int OtherBodiesInDlq,
    bool WorkerAlive,
    bool QueueEmpty,
    int FinalExitCode,
    TimeSpan Elapsed,
    string LogTail);

/// <summary>
/// Poison: hostile bodies among valid tasks, in shared groups. With <c>MoveToDeadLetterQueue</c> the worker sends each
/// straight to the DLQ; with the default <c>LeaveForRedrive</c> each comes back (after the retry backoff) until the queue's
/// maxReceiveCount moves it. Either way every valid task is done, every hostile body is in the DLQ, and the worker runs on.
/// </summary>
public static class PoisonScenario
{
    public static async Task<PoisonResult> RunAsync(
        ISqsClient sqs, Uri endpoint, int valid, int hostile, bool moveToDeadLetterQueue, string workDirectory, int seed, TimeSpan patience)
    {
        var random = new Random(seed);
        var handling = moveToDeadLetterQueue ? "MoveToDeadLetterQueue" : "LeaveForRedrive";
        var groups = moveToDeadLetterQueue ? 20 : Math.Max(5, hostile / 5);
        await using var queues = await TestQueues.CreateAsync(
            sqs, maxReceiveCount: moveToDeadLetterQueue ? 5 : 2, visibilityTimeout: TimeSpan.FromSeconds(10), testName: "fault-poison-" + handling);
        var queueMax = int.Parse(
            (await sqs.GetQueueAttributesAsync(queues.QueueUrl, [QueueAttributeNames.MaximumMessageSize]))[QueueAttributeNames.MaximumMessageSize], CultureInfo.InvariantCulture);

        var bad = HostileBodies.Create(random, hostile, queueMax);
        var messages = Enumerable.Range(0, valid).Select(i => FaultQueue.TaskBody($"v{i % groups}", "valid", $"v{i}", random.Next(0, 5)))
            .Concat(bad.Select(b => b.Body))
            .OrderBy(_ => random.Next())
            .Select((body, i) => ($"g{i % groups}", body))
            .ToList();
        await FaultQueue.SendAsync(sqs, queues.QueueUrl, messages);

        var completions = Path.Combine(workDirectory, $"poison-{handling}-completions.log");
        var elapsed = Stopwatch.StartNew();
        await using var worker = WorkerProcess.Start(endpoint, queues.QueueUrl, queues.DeadLetterQueueUrl, completions,
            Path.Combine(workDirectory, $"poison-{handling}-worker.log"),
            "--concurrency", "16", "--visibility", "10", "--receive-wait", "2", "--retry-backoff", "1", "--poison", moveToDeadLetterQueue ? "move" : "leave");

        await FaultQueue.WaitUntilAsync(
            async () => TaskRecords.Read(completions).CompletedDistinct >= valid
                && (await FaultQueue.CountsAsync(sqs, queues.DeadLetterQueueUrl)).Available >= hostile,
            patience);
        var queueEmpty = await FaultQueue.WaitUntilAsync(() => FaultQueue.IsEmptyAsync(sqs, queues.QueueUrl), TimeSpan.FromSeconds(30));
        elapsed.Stop();
        var alive = !worker.HasExited;
        var deadLetters = (await FaultQueue.CountsAsync(sqs, queues.DeadLetterQueueUrl)).Available;
        worker.Terminate();
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var dlqBodies = (await FaultQueue.DrainAsync(sqs, queues.DeadLetterQueueUrl)).Select(Hash).ToList();
        // Some hostile bodies repeat (e.g. "null"): matched as a multiset.
        var unmatched = bad.Select(b => Hash(b.Body)).GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());
        var found = dlqBodies.Count(h => unmatched.TryGetValue(h, out var left) && left > 0 && (unmatched[h] = left - 1) >= 0);
        var records = TaskRecords.Read(completions);
        return new PoisonResult(
            handling, valid, hostile,
            bad.GroupBy(b => b.Kind).ToDictionary(g => g.Key, g => g.Count()),
            bad.Max(b => Encoding.UTF8.GetByteCount(b.Body)),
            records.CompletedDistinct, records.DuplicateCompletions, deadLetters,
            found, dlqBodies.Count - found,
            alive, queueEmpty, exitCode, elapsed.Elapsed, worker.LogTail());
    }

    private static string Hash(string body) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
}
