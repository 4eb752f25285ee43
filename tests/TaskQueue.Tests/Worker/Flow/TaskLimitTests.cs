using System.Text;
using System.Text.Json;
using FluentAssertions;
using TaskQueue.Sqs;
using TaskQueue.Testing;

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

    [Fact]
    public async Task MaxConcurrency_StoredBodies_LimitedByTheTaskNameAttributeOfTheirPointers()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        var store = new InMemoryPayloadStore();
        var producer = new TaskQueueHandler(
            rig.Sqs,
            TestMessages.Options(o =>
            {
                o.QueueUrl = rig.QueueUrl;
                o.LargePayloads.Bucket = "task-bodies";
                o.LargePayloads.Threshold = 0;
            }),
            timeProvider: rig.Time,
            payloadStore: store);
        for (var g = 0; g < 4; g++)
        {
            await producer.EnqueueTasksAsync($"doc-{g}", [new TaskSpec("ocr", JsonSerializer.SerializeToElement(new { seq = 0 }))]);
        }

        store.Count.Should().Be(4, "every body is stored, and its message is a pointer");

        rig.Start(
            o => o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 2 },
            (_, context) => Task.Delay(TimeSpan.FromSeconds(1), rig.Time, context.CancellationToken),
            store);
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 4, "all four tasks complete");
        await rig.StopAsync();

        rig.MaxRunning.Should().Be(2, "the pointers name their task in the task_name attribute, which the limit reads before any fetch");
        store.Gets.Should().Be(4, "each body is fetched once, when its task runs");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Receives_AskForTheTaskNameAttribute_OnlyWhenTaskNamesAreLimited(bool limited)
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        rig.Start(o =>
        {
            if (limited)
            {
                o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 };
            }
        });
        await rig.AdvanceUntilAsync(() => rig.WorkerSqs.LastReceive is not null, "the worker receives");
        await rig.StopAsync();

        var asked = rig.WorkerSqs.LastReceive!.MessageAttributes;
        asked.Should().NotBeNull("a receive names the attributes it reads, never all of them");
        if (limited)
        {
            asked.Should().Contain("task_name");
        }
        else
        {
            asked.Should().NotContain("task_name", "each attribute asked for costs allocation on every message, and only the limits read this one");
        }
    }

    [Fact]
    public async Task MaxConcurrency_ProducerWithoutTheAttribute_LimitedByTheNameInTheBody_ReadByTheParsersRules()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        for (var g = 0; g < 3; g++)
        {
            // An escaped name, given twice: the last one counts, as it does for the handler.
            await rig.SendAsync($$"""{"entity_id":"doc-{{g}}","task_name":"echo","task_config":{"seq":0},"task_name":"ocr"}""", $"doc-{g}-ocr", attributes: null);
        }

        rig.Start(o => o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 }, (_, context) => Task.Delay(TimeSpan.FromSeconds(1), rig.Time, context.CancellationToken));
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 3, "all three tasks complete");
        await rig.StopAsync();

        rig.StartsOf("ocr").Should().HaveCount(3);
        rig.MaxRunning.Should().Be(1);
    }

    [Fact]
    public async Task MaxConcurrency_AttributeAndBodyDisagree_TheAttributeNamesTheLimit()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        for (var g = 0; g < 3; g++)
        {
            await rig.SendAsync(FakeTimeWorkerRig.Body($"doc-{g}", "echo", 0), $"doc-{g}-echo", new Dictionary<string, string> { ["entity_id"] = $"doc-{g}", ["task_name"] = "ocr" });
        }

        rig.Start(o => o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 }, (_, context) => Task.Delay(TimeSpan.FromSeconds(1), rig.Time, context.CancellationToken));
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 3, "all three tasks complete");
        await rig.StopAsync();

        rig.StartsOf("echo").Should().HaveCount(3, "the handler sees the body's task");
        rig.MaxRunning.Should().Be(1, "the limit is chosen before the body is read, by the attribute");
    }

    [Fact]
    public async Task MaxConcurrency_PointerWithoutTheAttribute_RunsWithoutTheLimit_LoggedOncePerWorker()
    {
        using var rig = await FakeTimeWorkerRig.CreateAsync();
        var store = new InMemoryPayloadStore();
        for (var g = 0; g < 3; g++)
        {
            var body = Encoding.UTF8.GetBytes(FakeTimeWorkerRig.Body($"doc-{g}", "ocr", 0));
            var key = $"bodies/doc-{g}";
            await store.PutAsync("task-bodies", key, body, CancellationToken.None);

            // As an Extended Client producer sends it: the pointer and the body's size, no task attributes.
            await rig.SendAsync(
                PayloadPointer.Write(new PayloadReference("task-bodies", key, body.Length)),
                $"doc-{g}-ocr",
                new Dictionary<string, string> { [MessageAttributeTypes.ExtendedPayloadSize] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        var logger = new RecordingLogger<TaskQueueWorker>();
        var allStarted = new TaskCompletionSource();
        rig.Start(
            o => o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 },
            async (_, _) =>
            {
                if (rig.Starts.Count == 3)
                {
                    allStarted.TrySetResult();
                }

                await allStarted.Task;
            },
            store,
            logger);
        await rig.AdvanceUntilAsync(() => rig.Completed.Count == 3, "all three tasks run, at once: nothing names their task before the fetch");
        await rig.StopAsync();

        rig.MaxRunning.Should().Be(3);
        logger.Entries.Where(e => e.EventId.Id == 10004).Should().ContainSingle()
            .Which.Message.Should().Contain("no task_name attribute").And.Contain("s3://task-bodies/bodies/doc-");
    }
}
