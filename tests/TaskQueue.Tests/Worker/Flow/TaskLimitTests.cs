using FluentAssertions;

namespace TaskQueue.Tests.Worker.Flow;

/// <summary>Per-task-name concurrency and rate limits: order within a group kept, other names flowing, permits given back.</summary>
public sealed class TaskLimitTests
{
    [Fact]
    public async Task MaxConcurrency_LimitedNameRunsAtMostThatManyAtOnce_EachGroupInOrder()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        await rig.SendAsync(Enumerable.Range(0, 3).SelectMany(seq => Enumerable.Range(0, 4).Select(g => ($"doc-{g}", "ocr", seq))).ToArray());

        rig.Start(o => o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 2 }, (_, context) => Task.Delay(TimeSpan.FromSeconds(1), rig.Time, context.CancellationToken));
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 12, "all 12 tasks complete");
        await rig.StopAsync();

        rig.MaxRunning.Should().Be(2, "four groups are ready at once, and the task name allows two");
        foreach (var group in rig.Starts.GroupBy(s => s.EntityId))
        {
            group.Select(s => s.Sequence).Should().Equal([0, 1, 2], $"{group.Key} runs in order");
        }

        rig.ReceiveCounts.Should().OnlyContain(c => c == 1, "no message waiting for a permit went back to the queue");
    }

    [Fact]
    public async Task MaxConcurrency_ThrottledNameWaiting_OtherNamesStillReceivedAndRun()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        var ocrMayFinish = new TaskCompletionSource();
        // Three ocr tasks ahead of the echo tasks, two run slots: one ocr runs, the two waiting give their receive slots back.
        await rig.SendAsync(Enumerable.Range(0, 3).Select(g => ($"scan-{g}", "ocr", 0))
            .Concat(Enumerable.Range(0, 10).Select(g => ($"doc-{g}", "echo", 0))).ToArray());

        rig.Start(
            o =>
            {
                o.MaxConcurrentTasks = 2;
                o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 };
            },
            (task, _) => task.TaskName == "ocr" ? ocrMayFinish.Task : Task.CompletedTask);
        await rig.AdvanceUntilAsync(() => rig.Completed.Count(c => c.Contains("/echo", StringComparison.Ordinal)) == 10, "the echo tasks run while ocr is throttled");

        rig.StartsOf("ocr").Should().ContainSingle("one ocr task runs, the others wait for its permit");
        ocrMayFinish.SetResult();
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 13, "the ocr tasks follow");
        await rig.StopAsync();
        rig.ReceiveCounts.Should().OnlyContain(c => c == 1);
    }

    [Fact]
    public async Task MaxConcurrency_TaskFails_ItsPermitGoesToTheNextTaskOfTheName()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        await rig.SendAsync(("doc-1", "ocr", 0));
        rig.Start(
            o => o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 },
            (task, _) => task.EntityId == "doc-1" ? throw new InvalidOperationException("fails") : Task.CompletedTask);
        await rig.AdvanceUntilAsync(() => rig.Starts.Count == 1, "the failing task runs first");

        await rig.SendAsync(("doc-2", "ocr", 0));
        await rig.AdvanceUntilAsync(() => rig.Completed.Contains("doc-2/ocr#0"), "the second task gets the permit the failed one held");
        await rig.StopAsync();
    }

    [Fact]
    public async Task MaxConcurrency_StopWhileTasksWaitForPermits_WaitingMessagesReleasedNotRun()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        await rig.SendAsync(("doc-1", "ocr", 0), ("doc-2", "ocr", 0), ("doc-3", "ocr", 0));
        rig.Start(
            o => o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 },
            (_, context) => Task.Delay(Timeout.InfiniteTimeSpan, rig.Time, context.CancellationToken));
        await rig.AdvanceUntilAsync(() => rig.Starts.Count == 1, "one task runs");

        await rig.StopAsync();

        rig.Starts.Should().ContainSingle("the waiting tasks never start");
        (await rig.CountsAsync()).Should().Be((3L, 0L), "the waiting messages are released at once, and the cancelled run's too");
    }

    [Fact]
    public async Task RateLimit_AtMostThatManyStartsInAnyPeriod_GroupOrderKept()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        await rig.SendAsync(("doc-a", "ocr", 0), ("doc-a", "ocr", 1), ("doc-a", "ocr", 2), ("doc-b", "ocr", 0), ("doc-c", "ocr", 0), ("doc-d", "ocr", 0));

        rig.Start(o => o.TaskLimits["ocr"] = new TaskLimit { RateLimit = 2, RatePeriod = TimeSpan.FromSeconds(10) });
        var start = rig.Time.GetUtcNow();
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 6, "all six tasks run", TimeSpan.FromMilliseconds(250));
        await rig.StopAsync();

        var offsets = rig.Starts.Select(s => (s.At - start).TotalSeconds).Order().ToList();
        for (var i = 0; i < 6; i++)
        {
            offsets[i].Should().BeInRange(i / 2 * 10, (i / 2 * 10) + 1, $"start {i} waits until a start 10 s before it frees its permit");
        }

        rig.Starts.Where(s => s.EntityId == "doc-a").Select(s => s.Sequence).Should().Equal(0, 1, 2);
        rig.ReceiveCounts.Should().OnlyContain(c => c == 1);
    }

    [Fact]
    public async Task RateLimit_WaitLongerThanTheVisibilityTimeout_MessageKeptHiddenByTheHeartbeat()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        await rig.SendAsync(("doc-1", "ocr", 0), ("doc-2", "ocr", 0), ("doc-3", "ocr", 0));

        // One start a minute: the third task waits two minutes, four times the 30 s visibility timeout.
        rig.Start(o => o.TaskLimits["ocr"] = new TaskLimit { RateLimit = 1, RatePeriod = TimeSpan.FromMinutes(1) });
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 3, "all three run", TimeSpan.FromMilliseconds(500));
        await rig.StopAsync();

        rig.Starts.Should().HaveCount(3, "no message came back while it waited");
        rig.ReceiveCounts.Should().OnlyContain(c => c == 1);
        (await rig.CountsAsync()).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task Limits_NamesWithoutALimit_NotHeldBack()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        await rig.SendAsync(("doc-1", "ocr", 0), ("doc-2", "ocr", 0), ("doc-3", "echo", 0));
        rig.Start(o => o.TaskLimits["ocr"] = new TaskLimit { RateLimit = 1, RatePeriod = TimeSpan.FromHours(1) });

        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 2, "the first ocr and the echo run");
        rig.StartsOf("echo").Should().ContainSingle();
        rig.StartsOf("ocr").Should().ContainSingle("the second ocr waits for the next hour's token");
        await rig.StopAsync();
    }
}
