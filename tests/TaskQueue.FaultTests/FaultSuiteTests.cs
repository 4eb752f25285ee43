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
