using System.Diagnostics;
using System.Globalization;
using FluentAssertions;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Worker;

/// <summary>Flow control end to end, on the in-memory SQS and on the local SQS server: per-task-name limits, pause and resume.</summary>
public abstract class FlowScenarios(ISqsBackend backend)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ISqsClient Sqs => backend.Client;

    private Task SendAsync(string queueUrl, IEnumerable<(string Group, string Body)> messages) => ScenarioQueue.SendAsync(Sqs, queueUrl, messages);

    private Task<(long Available, long InFlight)> CountsAsync(string queueUrl) => ScenarioQueue.CountsAsync(Sqs, queueUrl);

    private static TimeSpan Seconds(long from, long to) => TimeSpan.FromTicks((to - from) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

    [Fact]
    public async Task Run_OneTaskNameLimitedToOneAtATime_ItNeverOverlapsKeepsGroupOrder_OtherNamesFlowMeanwhile()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 2).SelectMany(seq => Enumerable.Range(0, 3).Select(g => ($"scan-{g}-ocr", WorkerHarness.Body($"scan-{g}", "ocr", seq))))
            .Concat(Enumerable.Range(0, 10).Select(g => ($"doc-{g}-echo", WorkerHarness.Body($"doc-{g}", "echo", 0)))));

        await using var worker = new WorkerHarness(
            Sqs,
            queues,
            (task, context) => task.TaskName == "ocr" ? Task.Delay(300, context.CancellationToken) : Task.CompletedTask,
            configureWorker: o =>
            {
                o.MaxConcurrentTasks = 4;
                o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 };
            });
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 16, Patience, "16 tasks");
        await worker.StopAsync();

        var ocr = worker.Runs.Where(r => r.Task.TaskName == "ocr").OrderBy(r => r.Started).ToList();
        ocr.Should().HaveCount(6);
        ocr.Zip(ocr.Skip(1)).Should().OnlyContain(p => p.First.Ended <= p.Second.Started, "one ocr task at a time");
        foreach (var group in ocr.GroupBy(r => r.Task.EntityId))
        {
            group.Select(r => r.Sequence).Should().Equal([0, 1], $"{group.Key} runs in order");
        }

        var echoDone = worker.Runs.Where(r => r.Task.TaskName == "echo").Max(r => r.Ended);
        echoDone.Should().BeLessThan(ocr[^1].Started, "the echo tasks do not wait for the throttled ocr tasks");
        worker.Runs.Should().OnlyContain(r => r.Context.ReceiveCount == 1, "no message waiting for its permit went back to the queue");
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task Run_RateLimitedTaskName_NoMoreStartsInAPeriodThanTheLimit()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 5).Select(g => ($"doc-{g}-ocr", WorkerHarness.Body($"doc-{g}", "ocr", 0))));

        await using var worker = new WorkerHarness(
            Sqs, queues, (_, _) => Task.CompletedTask, configureWorker: o => o.TaskLimits["ocr"] = new TaskLimit { RateLimit = 2, RatePeriod = TimeSpan.FromSeconds(1) });
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 5, Patience, "five tasks");
        await worker.StopAsync();

        var starts = worker.Runs.Select(r => r.Started).Order().ToList();
        for (var i = 2; i < starts.Count; i++)
        {
            Seconds(starts[i - 2], starts[i]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95), "at most two starts in any second");
        }
    }

    [Fact]
    public async Task Pause_NothingStartsUntilResume_ThenEveryTaskRunsInGroupOrder()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.CompletedTask, configureWorker: o => o.PauseReleaseAfter = TimeSpan.FromMinutes(1));
        worker.Worker.Pause();
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 3).Select(seq => ("doc-1-ocr", WorkerHarness.Body("doc-1", "ocr", seq))));

        // Longer than the 1 s long poll: whatever a poll under way brought is held, and no other receive follows.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        worker.Runs.Should().BeEmpty("a paused worker starts nothing");
        worker.Worker.Health.IsPaused.Should().BeTrue();

        worker.Worker.Resume();
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 3, Patience, "the three tasks");
        await worker.StopAsync();
        worker.Runs.Select(r => r.Sequence).Should().Equal(0, 1, 2);
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task Pause_LongerThanTheBound_RunningTaskFinishes_HeldOnesReleasedForOthers_ResumeRunsThemInOrder()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 3).Select(seq => ("doc-1-ocr", WorkerHarness.Body("doc-1", "ocr", seq))));
        var firstRunning = new TaskCompletionSource();
        var finishFirst = new TaskCompletionSource();
        await using var worker = new WorkerHarness(
            Sqs,
            queues,
            async (task, _) =>
            {
                if (task.TaskConfig.GetProperty("seq").GetInt32() == 0)
                {
                    firstRunning.TrySetResult();
                    await finishFirst.Task;
                }
            },
            configureWorker: o => o.PauseReleaseAfter = TimeSpan.FromSeconds(1));
        await firstRunning.Task.WaitAsync(Patience);

        worker.Worker.Pause();
        finishFirst.SetResult();
        await WorkerHarness.WaitUntilAsync(async () => (await CountsAsync(queues.QueueUrl)) == (2L, 0L), Patience, "the first deleted, the others visible for any worker");
        worker.Runs.Should().ContainSingle("the running task finished; the others did not start");

        worker.Worker.Resume();
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 3, Patience, "the other two after the resume");
        await worker.StopAsync();
        worker.Runs.Select(r => r.Sequence).Should().Equal(0, 1, 2);
    }
}

public sealed class InMemoryFlowScenarios() : FlowScenarios(new InMemoryRealTimeBackend());

public sealed class LocalServerFlowScenarios() : FlowScenarios(new LocalServerBackend());
