using FluentAssertions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TaskQueue.Tests.Worker.Flow;

/// <summary>Pausing a running worker: no receives and no starts, running tasks finish, held messages released after the bound.</summary>
public sealed class PauseTests
{
    [Fact]
    public async Task Pause_NoMoreReceivesOrStarts_ResumeRunsHeldTasksInOrderWithoutAReceive()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        var worker = rig.Start(o => o.PauseReleaseAfter = TimeSpan.FromMinutes(5));
        await rig.SendAsync(("doc-0", "ocr", 0));
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 1 && rig.WorkerSqs.ReceivesUnderWay == 1, "the worker runs, and polls again");

        worker.Pause();
        await rig.SendAsync(("doc-1", "ocr", 0), ("doc-1", "ocr", 1), ("doc-2", "ocr", 0));
        await rig.AdvanceUntilAsync(() => rig.CountsAsync().Result == (0L, 3L), "the long poll under way brings the new tasks");
        await rig.SendAsync(("doc-3", "ocr", 0));
        var receives = rig.WorkerSqs.ReceivesStarted;
        await rig.AdvanceByAsync(TimeSpan.FromMinutes(2));

        rig.WorkerSqs.ReceivesStarted.Should().Be(receives, "a paused worker starts no receive");
        rig.Starts.Should().HaveCount(1, "a paused worker starts nothing");
        (await rig.CountsAsync()).Should().Be((1L, 3L), "no receive after the pause: the last task waits in the queue");
        worker.Health.IsPaused.Should().BeTrue();

        worker.Resume();
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 5, "the held tasks and the last one run");
        await rig.StopAsync();
        rig.Starts.Where(s => s.EntityId == "doc-1").Select(s => s.Sequence).Should().Equal(0, 1);
        rig.ReceiveCounts.Should().OnlyContain(c => c == 1, "a pause within the bound costs no receive");
        worker.IsPaused.Should().BeFalse();
    }

    [Fact]
    public async Task Pause_LongerThanTheBound_HeldMessagesReleasedForOtherWorkers()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        var worker = rig.Start(o => o.PauseReleaseAfter = TimeSpan.FromSeconds(10));
        await rig.AdvanceUntilAsync(() => rig.WorkerSqs.ReceivesUnderWay == 1, "the worker polls");
        worker.Pause();
        await rig.SendAsync(("doc-1", "ocr", 0), ("doc-1", "ocr", 1));
        await rig.AdvanceUntilAsync(() => rig.CountsAsync().Result == (0L, 2L), "the poll under way brings both");

        await rig.AdvanceUntilAsync(() => rig.CountsAsync().Result == (2L, 0L), "released once the pause outlasts 10 s");

        rig.Starts.Should().BeEmpty();
        worker.Resume();
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 2, "received again and run after the resume");
        await rig.StopAsync();
        rig.Starts.Select(s => s.Sequence).Should().Equal(0, 1);
    }

    [Fact]
    public async Task Pause_RunningTaskFinishes_NextOfItsGroupWaitsForResume()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        var finish = new TaskCompletionSource();
        await rig.SendAsync(("doc-1", "ocr", 0), ("doc-1", "ocr", 1));
        var worker = rig.Start(o => o.PauseReleaseAfter = TimeSpan.FromMinutes(5), (_, _) => finish.Task);
        await rig.AdvanceUntilAsync(() => rig.Starts.Count == 1, "the first task runs");

        worker.Pause();
        finish.SetResult();
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 1, "the running task finishes");
        await rig.AdvanceByAsync(TimeSpan.FromMinutes(1));
        rig.Starts.Should().HaveCount(1, "the next task of the group does not start while paused");

        worker.Resume();
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 2, "it runs after the resume");
        await rig.StopAsync();
    }

    [Fact]
    public async Task Pause_WhileThrottled_WaitingTaskDoesNotStartWhenItsPermitComes()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        await rig.SendAsync(("doc-1", "ocr", 0), ("doc-2", "ocr", 0));
        var worker = rig.Start(o =>
        {
            o.PauseReleaseAfter = TimeSpan.FromMinutes(5);
            o.TaskLimits["ocr"] = new TaskLimit { RateLimit = 1, RatePeriod = TimeSpan.FromSeconds(10) };
        });
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 1, "the first runs on the bucket's token");

        worker.Pause();
        await rig.AdvanceByAsync(TimeSpan.FromSeconds(30));
        rig.Starts.Should().HaveCount(1);

        worker.Resume();
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 2, "the second runs after the resume");
        await rig.StopAsync();
    }

    [Fact]
    public async Task HealthCheck_Paused_DegradedSayingPaused_EvenAfterLongSilence()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        var worker = rig.Start(_ => { });
        var check = new TaskQueueWorkerHealthCheck(worker, Options.Create(new TaskQueueHealthCheckOptions()), rig.Time);
        await rig.AdvanceUntilAsync(() => worker.Health.IsRunning, "the worker runs");

        worker.Pause();
        rig.Time.Advance(TimeSpan.FromMinutes(30));
        var paused = await check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("w", check, HealthStatus.Unhealthy, null) });
        worker.Resume();
        var resumed = await check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("w", check, HealthStatus.Unhealthy, null) });
        await rig.StopAsync();

        paused.Status.Should().Be(HealthStatus.Degraded);
        paused.Description.Should().Contain("paused");
        resumed.Status.Should().Be(HealthStatus.Healthy, "the resume restarts the silence clock");
    }
}
