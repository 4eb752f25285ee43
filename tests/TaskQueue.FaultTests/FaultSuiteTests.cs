using System.Globalization;
using System.Text;
using FluentAssertions;
using FluentAssertions.Execution;
using TaskQueue.FaultTests.Harness;
using TaskQueue.TestSupport;

namespace TaskQueue.FaultTests;

/// <summary>
/// The fault suite: quick counts here in the normal test command; full counts, with docs/RELIABILITY.md written, from
/// <c>bash tests/faults.sh</c>. One class, so the scenarios run one after another and do not share the machine.
/// </summary>
public sealed class FaultSuiteTests(ReliabilityReport report) : IClassFixture<ReliabilityReport>
{
    private FaultScale Scale => report.Scale;

    [Fact]
    public async Task Kill_WorkerSigkilledAtRandomMomentsAndRestarted_EveryTaskCompletedDuplicatesWithinInFlight()
    {
        var result = await KillScenario.RunAsync(
            LocalSqsServer.CreateClient(), LocalSqsServer.Endpoint, Scale.KillTasks, Scale.KillGroups, Scale.Kills, Scale.KillTaskMaxMilliseconds, report.WorkDirectory, report.Seed, report.Patience);

        Report("1. Kill (SIGKILL and restart)", Table(
            ("tasks, groups", $"{result.Tasks:N0} in {result.Groups} groups, each task 0 to {result.MaxTaskMilliseconds} ms"),
            ("worker", $"MaxConcurrentTasks {result.Concurrency}, visibility timeout {result.VisibilityTimeout.TotalSeconds:0} s"),
            ("SIGKILLs", $"{result.Kills.Count}, after {string.Join(", ", result.Kills.Select(k => k.CompletedBefore.ToString("N0", CultureInfo.InvariantCulture)))} tasks completed"),
            ("tasks running in the killed worker at each kill", string.Join(", ", result.Kills.Select(k => k.RunningAtKill))),
            ("tasks completed", $"{result.Completed:N0} of {result.Tasks:N0}; lost {result.Missing}"),
            ("duplicate completions", $"{result.DuplicateCompletions} (bound: kills × (MaxConcurrentTasks + 19 deletes not yet answered) = {result.DuplicateBound})"),
            ("queue empty at the end; dead letters", $"{(result.QueueEmpty ? "yes" : "NO")}; {result.DeadLetters}"),
            ("exit code of the last worker on SIGTERM", $"{result.FinalExitCode}"),
            ("wall time", $"{result.Elapsed.TotalSeconds:0.0} s")),
            () =>
            {
                result.Kills.Should().HaveCount(Scale.Kills);
                result.Missing.Should().Be(0, "no task is lost");
                result.Completed.Should().Be(result.Tasks);
                result.DuplicateCompletions.Should().BeLessThanOrEqualTo(result.DuplicateBound, "a task runs again only if a killed worker held it");
                result.QueueEmpty.Should().BeTrue("every completed task is deleted");
                result.DeadLetters.Should().Be(0);
                result.FinalExitCode.Should().Be(0);
            },
            result.LogTail);
    }

    [Fact]
    public async Task ServerRestart_PersistentServerKilledMidRun_WorkerRidesThroughAndCompletesEveryTask()
    {
        var result = await ServerRestartScenario.RunAsync(Scale.RestartTasks, Scale.RestartCount, report.WorkDirectory, report.Seed, report.Patience);

        Report("2. Server restart (SIGKILL of the SQS server, persistence on)", Table(
            ("tasks", $"{result.Tasks:N0} in 50 groups, worker MaxConcurrentTasks 16, visibility timeout 5 s"),
            ("server SIGKILLs and restarts", $"{result.Restarts.Count}, after {string.Join(", ", result.Restarts.Select(r => r.CompletedBefore.ToString("N0", CultureInfo.InvariantCulture)))} tasks completed"),
            ("server downtime (kill to healthy on the same port)", string.Join(", ", result.Restarts.Select(r => $"{r.Downtime.TotalSeconds:0.0} s"))),
            ("first task completed after the server answered /health again", string.Join(", ", result.Restarts.Select(r => $"{r.FirstCompletionAfterRestart.TotalSeconds:0.0} s"))),
            ("failed SQS calls the worker logged (receives, deletes, heartbeats) and retried", $"{result.FailedCallsLogged}"),
            ("worker process still running at the end", result.WorkerRodeThrough ? "yes" : "NO"),
            ("tasks completed", $"{result.Completed:N0} of {result.Tasks:N0}; lost {result.Missing}"),
            ("duplicate completions", $"{result.DuplicateCompletions}"),
            ("queue empty at the end", result.QueueEmpty ? "yes" : "NO"),
            ("exit code on SIGTERM", $"{result.FinalExitCode}"),
            ("wall time", $"{result.Elapsed.TotalSeconds:0.0} s")),
            () =>
            {
                result.Restarts.Should().HaveCount(Scale.RestartCount);
                result.WorkerRodeThrough.Should().BeTrue("the worker keeps running while the server is down");
                result.Missing.Should().Be(0, "no task is lost");
                result.QueueEmpty.Should().BeTrue();
                result.FinalExitCode.Should().Be(0);
            },
            result.LogTail);
    }

    [Fact]
    public async Task Poison_HostileBodiesAmongValidTasks_ValidDoneHostileInDlqWorkerRunsOn()
    {
        var moved = await PoisonScenario.RunAsync(
            LocalSqsServer.CreateClient(), LocalSqsServer.Endpoint, Scale.PoisonValid, Scale.PoisonHostile, moveToDeadLetterQueue: true, report.WorkDirectory, report.Seed, report.Patience);
        var redriven = await PoisonScenario.RunAsync(
            LocalSqsServer.CreateClient(), LocalSqsServer.Endpoint, Scale.RedriveHostile, Scale.RedriveHostile, moveToDeadLetterQueue: false, report.WorkDirectory, report.Seed + 1, report.Patience);

        Report("3. Poison (hostile bodies among valid tasks)", Table(
            [.. PoisonRows("MoveToDeadLetterQueue", moved, "straight to the DLQ"), .. PoisonRows("LeaveForRedrive (default)", redriven, "via maxReceiveCount 2")]),
            () =>
            {
                foreach (var result in new[] { moved, redriven })
                {
                    result.ValidCompleted.Should().Be(result.Valid, $"every valid task is done ({result.Handling})");
                    result.HostileFoundInDlq.Should().Be(result.Hostile, $"every hostile body is in the DLQ ({result.Handling})");
                    result.OtherBodiesInDlq.Should().Be(0, $"no valid task is in the DLQ ({result.Handling})");
                    result.WorkerAlive.Should().BeTrue($"the worker never stops ({result.Handling})");
                    result.QueueEmpty.Should().BeTrue($"the queue is empty at the end ({result.Handling})");
                    result.FinalExitCode.Should().Be(0);
                }
            },
            moved.LogTail + "\n---\n" + redriven.LogTail);
    }

    [Fact]
    public async Task Shutdown_SigtermWithLongTasksRunning_TheyFinishExitZeroRestPickedUpAtOnce()
    {
        var result = await ShutdownScenario.RunAsync(LocalSqsServer.CreateClient(), LocalSqsServer.Endpoint, Scale.ShutdownGroups, report.WorkDirectory, report.Patience);

        Report("4. Shutdown (SIGTERM with long tasks running)", Table(
            ("set-up", $"{result.Groups} groups, each a {result.LongTask.TotalSeconds:0} s task then 3 short ones; visibility timeout {result.VisibilityTimeout.TotalSeconds:0} s; worker B started before A's SIGTERM"),
            ("long tasks running in A at SIGTERM", $"{result.LongTasksRunningAtSigterm}"),
            ("long tasks A completed after SIGTERM", $"{result.LongTasksCompletedByStoppedWorker}"),
            ("tasks A started after SIGTERM", $"{result.StartsAfterSigterm}"),
            ("A's exit code; SIGTERM to exit", $"{result.ExitCode}; {result.SigtermToExit.TotalSeconds:0.0} s"),
            ("messages A released unstarted (its log)", $"{result.ReleasedMessages}"),
            ("pickup delay by B (A's completion of a group's long task to B's start of the next)",
                $"max {result.PickupDelays.Max().TotalSeconds:0.00} s, median {result.PickupDelays.Order().ElementAt(result.PickupDelays.Count / 2).TotalSeconds:0.00} s (visibility timeout {result.VisibilityTimeout.TotalSeconds:0} s)"),
            ("all tasks done; duplicates; queue empty", $"{(result.AllDone ? "yes" : "NO")}; {result.DuplicateCompletions}; {(result.QueueEmpty ? "yes" : "NO")}")),
            () =>
            {
                result.LongTasksRunningAtSigterm.Should().Be(result.Groups, "SIGTERM came while every long task ran");
                result.LongTasksCompletedByStoppedWorker.Should().Be(result.Groups, "running tasks finish on SIGTERM");
                result.StartsAfterSigterm.Should().Be(0, "a stopping worker starts nothing");
                result.ExitCode.Should().Be(0);
                result.PickupDelays.Max().Should().BeLessThan(result.VisibilityTimeout / 3, "nothing waits for its visibility timeout");
                result.AllDone.Should().BeTrue();
                result.DuplicateCompletions.Should().Be(0);
                result.QueueEmpty.Should().BeTrue();
            },
            result.LogTail);
    }

    [Fact]
    public async Task LongTask_ThreeVisibilityTimeoutsWithTwoWorkers_RunsExactlyOnce()
    {
        var result = await LongTaskScenario.RunAsync(LocalSqsServer.CreateClient(), LocalSqsServer.Endpoint, Scale.LongTasks, report.WorkDirectory, report.Patience);

        Report("5. Long task (three visibility timeouts, two workers)", Table(
            ("set-up", $"{result.LongTasks} tasks of {result.TaskDuration.TotalSeconds:0} s, visibility timeout {result.VisibilityTimeout.TotalSeconds:0} s, {result.Workers} worker processes competing, plus 20 short tasks"),
            ("executions of the long tasks", $"{result.LongTaskExecutions} for {result.LongTasks} tasks; most of one task: {result.MaxExecutionsOfALongTask}"),
            ("short tasks completed", $"{result.ShortTasksCompleted} of 20"),
            ("queue empty at the end", result.QueueEmpty ? "yes" : "NO"),
            ("exit codes on SIGTERM", string.Join(", ", result.ExitCodes))),
            () =>
            {
                result.LongTaskExecutions.Should().Be(result.LongTasks, "each long task runs exactly once");
                result.MaxExecutionsOfALongTask.Should().Be(1);
                result.ShortTasksCompleted.Should().Be(20);
                result.QueueEmpty.Should().BeTrue();
                result.ExitCodes.Should().OnlyContain(c => c == 0);
            },
            result.LogTail);
    }

    /// <summary>
    /// The answered writes by kind (record, reopen, claim, mark) and outcome (written, refused by its condition, error),
    /// and those the pattern does not ask for: every refused or failed write, records written beyond one per task and
    /// one per failed attempt but the last, reopens written (none before a redrive), claims and marks written beyond one
    /// per batch, and the writes that were sent but never answered (their worker killed during the call).
    /// </summary>
    private static string WritesAgainstThePattern(EntityPhase faults, int tasks, EntityCompletionResult result)
    {
        long Count(string key) => faults.LedgerWrites.GetValueOrDefault(key);
        var answered = faults.LedgerWrites.Values.Sum();
        var unanswered = faults.LedgerRequests.GetValueOrDefault("UpdateItem") - answered;
        var byKind = string.Join(", ", faults.LedgerWrites.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key} {w.Value:N0}"));
        var refused = faults.LedgerWrites.Where(w => !w.Key.EndsWith(":written", StringComparison.Ordinal)).Sum(w => w.Value);
        var recordsBeyond = Count("record:written") - (tasks + result.FailedAttempts - result.FailingTasks);
        var claimsBeyond = Count("claim:written") - result.Entities;
        var marksBeyond = Count("mark:written") - result.Entities;
        static string Signed(long n) => n.ToString("+#,0;−#,0;0", CultureInfo.InvariantCulture);
        return $"{byKind}; against the pattern: {refused:N0} refused by their condition or failed (a record over a task already finished, a claim another task of the batch holds, a mark already made), "
            + $"written records {Signed(recordsBeyond)} (notes of failed attempts beyond the failures logged: {faults.ExtraNotes.FailingWithFailuresMissing} of always-failing tasks with fewer failures logged than maxReceiveCount, {faults.ExtraNotes.FailingWithEveryFailure} of such tasks with every failure logged, {faults.ExtraNotes.NeverFailing} of tasks that never fail), "
            + $"reopens {Signed(Count("reopen:written"))}, claims {Signed(claimsBeyond)}, marks {Signed(marksBeyond)}, and {unanswered:N0} sent and never answered (the worker killed during the call; a write short of the pattern is one of these)";
    }

    [Fact]
    public async Task EntityCompletion_WorkersKilledAndServerRestarted_EveryBatchAnnouncedDuplicatesOnlyAfterAKilledAnnouncerRedriveReannounces()
    {
        var result = await EntityCompletionScenario.RunAsync(Scale.Entities, Scale.FailingEntities, Scale.EntityKills, report.WorkDirectory, report.Seed, report.Patience);
        var faults = result.Faults;
        var redrive = result.Redrive;
        var tasks = result.Entities * result.TasksPerEntity;
        // One record per task, a claim and a mark per batch, and a note of each failed attempt but the last (which is the dead-lettering's record).
        var patternWrites = tasks + (2 * result.Entities) + (result.FailedAttempts - result.FailingTasks);
        var unexplained = faults.Duplicates.Concat(redrive.Duplicates).Where(d => !d.Explained).ToList();

        Report("6. Entity completion (DynamoDB ledger; worker SIGKILLs, an SQS server restart, dead letters, a redrive)", Table(
            ("set-up", $"{result.Entities:N0} entities × {result.TasksPerEntity} tasks (0 to 40 ms each), each entity one batch enqueued with the DynamoDB ledger (dynalite, one table); "
                + $"{result.Workers} worker processes with entity tracking, MaxConcurrentTasks {result.Concurrency}, visibility timeout {result.VisibilityTimeout.TotalSeconds:0} s, maxReceiveCount {result.MaxReceiveCount}, dead-letter check every 2 s"),
            ("worker SIGKILLs (each restarted at once)", $"{result.Kills.Count}: " + string.Join(", ", result.Kills.Select(k => $"worker {k.Slot + 1} after {k.AnnouncedBefore:N0} batches announced"))),
            ("SQS server SIGKILL and restart (persistence on, same port); DynamoDB stayed up", $"after {result.ServerRestartAnnouncedBefore:N0} batches announced, down {result.ServerDowntime.TotalSeconds:0.0} s"),
            ("tasks that always fail (one in each of as many entities)", $"{result.FailingTasks}, dead-lettered at maxReceiveCount: {result.FailingTasksDeadLettered}; tasks dead-lettered in all: {result.DeadLetteredTasks}"),
            ("batches announced", $"{faults.Announced:N0} of {result.Entities:N0}, {result.BatchesAnnouncedWithDeadLetter} of them with a dead-lettered task; missing {result.Entities - faults.Announced}"),
            ("duplicate announcements", Duplicates(faults.Duplicates)),
            ("ledger (GetBatchesAsync of each entity) and DLQ against the workers' logs", Agreement(faults.Mismatches, "every batch complete at revision 1, announced revision 1; its dead-lettered tasks exactly those in the DLQ; its completed tasks each completed by a worker")),
            ("dead-letter announcements (OnTaskDeadLetteredAsync)", $"{result.DeadLetterEvents} for {result.DeadLetteredTasks} dead-lettered tasks" + string.Concat(result.DeadLetterEventRepeats.Select(r =>
                $"; {r.TaskId} heard again {r.ApartMilliseconds:N0} ms later from {(r.RepeatProcess == r.EarlierProcess ? "the same worker" : "another worker")}"
                + (r.EarlierKilledBetween ? ", its first caller SIGKILLed in between" : ", no kill in between (the worker that moved it and a dead-letter check that found the copy before the move was recorded)")))),
            ("time from a batch's last task to its announcement", Latency(faults.Latencies)),
            ("the same, batches with no worker kill between their last task and the announcement", Latency([.. faults.Latencies.Where(l => !l.KillBetween)])),
            ("DynamoDB requests of the workers", Requests(faults.LedgerRequests, tasks, result.Entities)),
            ("the writes the ledger's pattern asks for, without faults", $"{patternWrites:N0} (one per task, a claim and a mark per batch, one per failed attempt but the last); "
                + $"measured {faults.LedgerRequests.GetValueOrDefault("UpdateItem") - patternWrites:N0} more"),
            ("the workers' writes by kind and outcome, against the pattern", WritesAgainstThePattern(faults, tasks, result)),
            ("DynamoDB requests of the producer (opening each batch)", $"{result.EnqueueLedgerRequests:N0}: {(double)result.EnqueueLedgerRequests / result.Entities:0.00} per batch"),
            ("wall time, workers' start to every batch announced and the queue empty", $"{faults.Elapsed.TotalSeconds:0.0} s"),
            ("**redrive** of the dead letters, then one worker with the failing handler fixed", $"{result.Redriven} moved; {redrive.Announced} of {result.ReopenedBatches} reopened batches announced again"),
            ("redrive: ledger against the logs", Agreement(redrive.Mismatches, "each reopened batch at revision 2, announced revision 2, every task completed, and announced so; the others untouched at revision 1")),
            ("redrive: duplicate announcements", Duplicates(redrive.Duplicates)),
            ("redrive: time from the redriven task to the announcement", Latency(redrive.Latencies)),
            ("redrive: DynamoDB requests of the worker", Requests(redrive.LedgerRequests, result.Redriven, result.ReopenedBatches)),
            ("redrive: wall time, redrive to every reopened batch announced", $"{redrive.Elapsed.TotalSeconds:0.0} s"),
            ("queue and DLQ empty at the end; exit codes on SIGTERM", $"{(result.QueuesEmpty ? "yes" : "NO")}; {string.Join(", ", result.ExitCodes)}")),
            () =>
            {
                result.Kills.Should().HaveCount(Scale.EntityKills);
                faults.Announced.Should().Be(result.Entities, "every batch is announced");
                unexplained.Should().BeEmpty("an announcement is repeated only after its announcer was killed before marking it");
                faults.Mismatches.Should().BeEmpty();
                result.FailingTasksDeadLettered.Should().Be(result.FailingTasks, "a task that always fails is dead-lettered");
                result.Redriven.Should().Be(result.DeadLetteredTasks, "every dead letter is redriven");
                redrive.Announced.Should().Be(result.ReopenedBatches, "every reopened batch is announced again");
                redrive.Mismatches.Should().BeEmpty();
                result.QueuesEmpty.Should().BeTrue();
                result.ExitCodes.Should().OnlyContain(c => c == 0);
            },
            result.LogTail);
    }

    private static string Duplicates(IReadOnlyList<DuplicateAnnouncement> duplicates)
    {
        var explained = duplicates.Where(d => d.Explained).ToList();
        var text = $"{duplicates.Count}";
        if (explained.Count > 0)
        {
            text += $"; {explained.Count} by a worker SIGKILLed after announcing and before marking it announced ({string.Join(", ", explained.Select(d => $"{d.Repeat.EntityId}: killed {d.KilledAfterMilliseconds} ms after"))})";
        }

        return duplicates.Count > explained.Count ? text + $"; **{duplicates.Count - explained.Count} unexplained**" : text;
    }

    private static string Agreement(IReadOnlyList<string> mismatches, string what) =>
        mismatches.Count == 0 ? "agree: " + what : $"**{mismatches.Count} disagree**: {string.Join("; ", mismatches.Take(3))}";

    private static string Latency(IReadOnlyList<AnnouncementDelay> delays)
    {
        var milliseconds = delays.Select(d => d.Milliseconds).ToList();
        return milliseconds.Count == 0
            ? "none measured"
            : $"p50 {Announcements.Percentile(milliseconds, 50):N0} ms, p95 {Announcements.Percentile(milliseconds, 95):N0} ms, max {milliseconds.Max():N0} ms ({milliseconds.Count:N0} batches)";
    }

    private static string Requests(IReadOnlyDictionary<string, long> byAction, int tasks, int batches)
    {
        var total = byAction.Values.Sum();
        var writes = byAction.GetValueOrDefault("UpdateItem");
        return $"{total:N0} ({string.Join(", ", byAction.OrderByDescending(a => a.Value).Select(a => $"{a.Key} {a.Value:N0}"))}): "
            + $"{(double)total / tasks:0.00} per task, {(double)writes / tasks:0.00} of them writes; {(double)total / batches:0.00} per batch";
    }

    private static IEnumerable<(string, string)> PoisonRows(string handling, PoisonResult result, string how) =>
    [
        ($"**{handling}**: bodies", $"{result.Valid:N0} valid and {result.Hostile:N0} hostile, shuffled into shared groups; hostile: "
            + string.Join(", ", result.HostileByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Value} {k.Key}"))
            + $"; largest {result.LargestBodyBytes:N0} bytes"),
        ("valid tasks done; duplicates", $"{result.ValidCompleted:N0} of {result.Valid:N0}; {result.ValidDuplicates}"),
        ($"hostile bodies in the DLQ ({how}), byte for byte", $"{result.HostileFoundInDlq:N0} of {result.Hostile:N0}; other bodies there: {result.OtherBodiesInDlq}"),
        ("worker still running; queue empty; exit code on SIGTERM", $"{(result.WorkerAlive ? "yes" : "NO")}; {(result.QueueEmpty ? "yes" : "NO")}; {result.FinalExitCode}"),
        ("wall time", $"{result.Elapsed.TotalSeconds:0.0} s"),
    ];

    private static string Table(params (string Figure, string Value)[] rows)
    {
        var text = new StringBuilder("| figure | measured |\n| --- | --- |\n");
        foreach (var (figure, value) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {figure} | {value} |\n");
        }

        return text.ToString();
    }

    /// <summary>Records the figures, then checks them; a failure carries the worker's log and keeps the work folder.</summary>
    private void Report(string title, string table, Action assertions, string logTail)
    {
        try
        {
            using (new AssertionScope())
            {
                assertions();
            }

            report.Add(title, passed: true, table);
        }
        catch (Exception ex)
        {
            report.Add(title, passed: false, table + "\n" + ex.Message.Split('\n')[0]);
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n{table}\nwork folder: {report.WorkDirectory}\nworker log:\n{logTail}");
        }
    }
}
