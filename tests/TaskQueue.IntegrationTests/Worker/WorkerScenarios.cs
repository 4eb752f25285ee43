using System.Globalization;
using FluentAssertions;
using TaskQueue.Sqs;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Worker;

/// <summary>The worker end to end, written once and run on the in-memory SQS and on the local SQS server.</summary>
public abstract class WorkerScenarios(ISqsBackend backend)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ISqsClient Sqs => backend.Client;

    private Task SendAsync(string queueUrl, IEnumerable<(string Group, string Body)> messages) => ScenarioQueue.SendAsync(Sqs, queueUrl, messages);

    private Task<(long Available, long InFlight)> CountsAsync(string queueUrl) => ScenarioQueue.CountsAsync(Sqs, queueUrl);

    [Fact]
    public async Task Run_200TasksIn20Groups8AtOnce_KeepsEachGroupsOrderAndLosesNone()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 10).SelectMany(seq => Enumerable.Range(0, 20).Select(g => ($"g{g}", WorkerHarness.Body($"e{g}", "step", seq)))));

        await using var worker = new WorkerHarness(Sqs, queues, (_, context) => Task.Delay(10, context.CancellationToken), configureWorker: o => o.MaxConcurrentTasks = 8);
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 200, Patience, "200 tasks");
        await worker.StopAsync();

        var runs = worker.Runs.ToList();
        runs.Should().HaveCount(200).And.OnlyContain(r => r.Succeeded, "no task ran twice or failed");
        foreach (var group in runs.GroupBy(r => r.Task.EntityId))
        {
            var ordered = group.OrderBy(r => r.Started).ToList();
            ordered.Select(r => r.Sequence).Should().Equal(Enumerable.Range(0, 10), $"group {group.Key} runs in order");
            ordered.Zip(ordered.Skip(1)).Should().OnlyContain(pair => pair.First.Ended <= pair.Second.Started, $"group {group.Key} runs one at a time");
        }

        worker.MaxRunning.Should().BeInRange(2, 8);
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L), "every finished task was deleted");
    }

    [Fact]
    public async Task Run_HandlerAlwaysThrows_TaskBackedOffThenInDlqAfterReceiveLimit()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, maxReceiveCount: 3, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, [("g", WorkerHarness.Body("doc-1", "broken", 0))]);

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => throw new InvalidOperationException("always"));
        await WorkerHarness.WaitUntilAsync(() => worker.Runs.Count >= 3, Patience, "three attempts");
        var dlq = 0L;
        await WorkerHarness.WaitUntilAsync(async () => (dlq = (await CountsAsync(queues.DeadLetterQueueUrl)).Available) == 1, Patience, "the dead letter");
        await worker.StopAsync();

        worker.Runs.Select(r => r.Context.ReceiveCount).Should().Equal(1, 2, 3);
        var runs = worker.Runs.ToList();
        var gaps = runs.Zip(runs.Skip(1)).Select(p => TimeSpan.FromTicks((p.Second.Started - p.First.Ended) * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency));
        gaps.Should().OnlyContain(g => g >= TimeSpan.FromSeconds(0.5), "the 1 s backoff keeps a failing task from spinning");
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task Run_TaskFailingAheadOfOthersInItsGroup_OnlyItIsDeadLetteredAndTheOthersThenRunInOrder()
    {
        // On AWS (and the in-memory SQS) one receive returns the whole group; each receive counts against every message it returns.
        await using var queues = await TestQueues.CreateAsync(Sqs, maxReceiveCount: 3, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 4).Select(seq => ("g", WorkerHarness.Body("doc-1", "step", seq))));

        await using var worker = new WorkerHarness(Sqs, queues, (task, _) =>
            task.TaskConfig.GetProperty("seq").GetInt32() == 0 ? throw new InvalidOperationException("the first task always fails") : Task.CompletedTask);
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 3, Patience, "the three tasks behind the failing one");
        var dlq = 0L;
        await WorkerHarness.WaitUntilAsync(async () => (dlq = (await CountsAsync(queues.DeadLetterQueueUrl)).Available) >= 1, Patience, "the dead letter");
        await worker.StopAsync();

        var runs = worker.Runs.OrderBy(r => r.Started).ToList();
        runs.Where(r => r.Sequence == 0).Select(r => r.Context.ReceiveCount).Should().Equal([1, 2, 3], "the failing task gets its own three attempts");
        runs.Where(r => r.Succeeded).Select(r => r.Sequence).Should().Equal([1, 2, 3], "the tasks behind it run once each, in order");
        runs.Where(r => r.Succeeded).Should().OnlyContain(r => r.Started >= runs.Last(f => f.Sequence == 0).Ended, "nothing overtakes the failing task");
        dlq.Should().Be(1, "only the task that failed is dead-lettered");
        var deadLetters = await Sqs.ReceiveMessagesAsync(queues.DeadLetterQueueUrl, new ReceiveOptions(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
        deadLetters.Should().ContainSingle().Which.Body.Should().Be(WorkerHarness.Body("doc-1", "step", 0));
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task Run_TaskLastingThreeVisibilityTimeouts_ExtendedAndRunOnceAcrossTwoWorkers()
    {
        // 3 s, not less: the heartbeat extends at half the timeout left, and on a busy shared machine a thread-pool stall
        // can eat most of a second; the test is about extending across timeouts, not about how late a tick may come.
        var visibility = TimeSpan.FromSeconds(3);
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: visibility);
        await SendAsync(queues.QueueUrl, [("long", WorkerHarness.Body("doc-1", "long", 0))]);
        var executions = 0;
        Task Long(TaskQueue.TaskMessage task, TaskQueue.TaskContext context)
        {
            Interlocked.Increment(ref executions);
            return Task.Delay(visibility * 3, context.CancellationToken);
        }

        await using var first = new WorkerHarness(Sqs, queues, Long, o => o.VisibilityTimeout = visibility);
        await using var second = new WorkerHarness(Sqs, queues, Long, o => o.VisibilityTimeout = visibility);
        await WorkerHarness.WaitUntilAsync(() => first.Succeeded + second.Succeeded >= 1, Patience, "the long task");
        await backend.LetTimePassAsync(visibility + TimeSpan.FromSeconds(1));
        await first.StopAsync();
        await second.StopAsync();

        executions.Should().Be(1);
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task Stop_WhileTasksRun_RunningFinishUnstartedReleasedNothingLost()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 30).Select(i => ($"g{i}", WorkerHarness.Body($"e{i}", "t", 0))));
        var started = 0;

        var first = new WorkerHarness(Sqs, queues, async (_, context) =>
        {
            Interlocked.Increment(ref started);
            await Task.Delay(800, CancellationToken.None);
        }, configureWorker: o => o.MaxConcurrentTasks = 4);
        await WorkerHarness.WaitUntilAsync(() => Volatile.Read(ref started) >= 4, Patience, "four running tasks");
        await first.StopAsync();
        var firstRuns = first.Runs.ToList();
        await first.DisposeAsync();

        firstRuns.Should().OnlyContain(r => r.Succeeded, "running tasks finished within the shutdown timeout");
        firstRuns.Count.Should().Be(Volatile.Read(ref started));
        var (available, inFlight) = await CountsAsync(queues.QueueUrl);
        inFlight.Should().Be(0, "received but unstarted messages were released at once, not left hidden");
        available.Should().Be(30 - firstRuns.Count);

        await using var second = new WorkerHarness(Sqs, queues, (_, _) => Task.CompletedTask);
        await WorkerHarness.WaitUntilAsync(() => second.Succeeded >= 30 - firstRuns.Count, Patience, "the rest");
        await second.StopAsync();

        firstRuns.Concat(second.Runs).Select(r => r.Task.EntityId).Should().OnlyHaveUniqueItems().And.HaveCount(30);
    }

    [Fact]
    public async Task Stop_TaskOutlastsShutdownTimeout_CancelledReleasedNotDeleted()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, [("g", WorkerHarness.Body("doc-1", "slow", 0))]);
        var started = new TaskCompletionSource();

        var worker = new WorkerHarness(Sqs, queues, async (_, context) =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromMinutes(5), context.CancellationToken);
        }, configureWorker: o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
        await started.Task.WaitAsync(Patience);
        await worker.StopAsync();
        await worker.DisposeAsync();

        worker.Runs.Should().ContainSingle().Which.Succeeded.Should().BeFalse();
        (await CountsAsync(queues.QueueUrl)).Should().Be((1L, 0L), "the cancelled task is back in the queue at once, not deleted");
    }

    [Fact]
    public async Task Run_PoisonAndUnknownTaskAmongValid_ValidDoneBadOnesInDlqWorkerGoesOn()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, maxReceiveCount: 2, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl,
        [
            ("p1", "not json"),
            ("p2", """{"entity_id":5}"""),
            ("u", WorkerHarness.Body("doc-9", "nobody-handles-this", 0)),
            .. Enumerable.Range(0, 10).Select(i => ($"v{i}", WorkerHarness.Body($"doc-{i}", "ok", 0))),
        ]);

        await using var worker = new WorkerHarness(
            Sqs,
            queues,
            (task, _) => task.TaskName == "ok" ? Task.CompletedTask : throw TaskHandlerNotFoundException.For(task.TaskName, ["ok"]),
            o => o.PoisonMessageHandling = PoisonMessageHandling.MoveToDeadLetterQueue,
            w => w.UnknownTaskHandling = UnknownTaskHandling.MoveToDeadLetterQueue);
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 10, Patience, "the valid tasks");
        await WorkerHarness.WaitUntilAsync(async () => (await CountsAsync(queues.DeadLetterQueueUrl)).Available == 3, Patience, "three dead letters");
        await worker.StopAsync();

        worker.Runs.Where(r => !r.Succeeded).Should().ContainSingle("the unknown task ran once and was moved at once");
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task Run_HandlerAsksForARetryAfterADelay_TaskWaitsThatLongAheadOfItsGroupThenCompletes()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, maxReceiveCount: 5, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 2).Select(seq => ("g", WorkerHarness.Body("doc-1", "ocr", seq))));

        await using var worker = new WorkerHarness(Sqs, queues, (task, context) => Task.FromResult(
            task.TaskConfig.GetProperty("seq").GetInt32() == 0 && context.ReceiveCount == 1 ? TaskOutcome.RetryAfter(TimeSpan.FromSeconds(3)) : TaskOutcome.Completed));
        await WorkerHarness.WaitUntilAsync(() => worker.Runs.Count(r => r.Outcome == TaskOutcome.Completed) >= 2, Patience, "both tasks done");
        await worker.StopAsync();

        var runs = worker.Runs.OrderBy(r => r.Started).ToList();
        runs.Select(r => (r.Sequence, r.Context.ReceiveCount)).Should().Equal([(0, 1), (0, 2), (1, 1)], "the retried task goes first, and nothing behind it is received again");
        TimeSpan.FromTicks((runs[1].Started - runs[0].Ended) * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency)
            .Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2.5), "the handler's 3 s, not the 1 s backoff");
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task Run_HandlerDeadLettersATask_MovedAtOnceWithItsReasonAndTheRestOfItsGroupRuns()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, maxReceiveCount: 5, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 3).Select(seq => ("g", WorkerHarness.Body("doc-1", "ocr", seq))));

        await using var worker = new WorkerHarness(Sqs, queues, (task, _) => Task.FromResult(
            task.TaskConfig.GetProperty("seq").GetInt32() == 0 ? TaskOutcome.DeadLetter("the scan is unreadable") : TaskOutcome.Completed));
        await WorkerHarness.WaitUntilAsync(() => worker.Runs.Count >= 3, Patience, "three tasks");
        await worker.StopAsync();

        worker.Runs.OrderBy(r => r.Started).Select(r => r.Sequence).Should().Equal([0, 1, 2], "the dead-lettered task ran once, and the group went on in order");
        var handler = new TaskQueueHandler(Sqs, Microsoft.Extensions.Options.Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl, DeadLetterQueueUrl = queues.DeadLetterQueueUrl }));
        var letter = (await handler.GetDlqMessagesAsync()).Should().ContainSingle().Subject;
        letter.Body.Should().Be(WorkerHarness.Body("doc-1", "ocr", 0));
        letter.DeadLetterReason.Should().Be("the scan is unreadable");
        letter.Attempts.Should().Be(1);
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("tenant", "tenant")]
    [InlineData("audit.*", "audit.by")]
    [InlineData("All", "tenant,audit.by")]
    public async Task Run_HandlerDeadLettersATask_CopyCarriesItsEntityAndTaskNameAndTheProducersAttributesNamedToKeep(string keep, string kept)
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, maxReceiveCount: 5, visibilityTimeout: TimeSpan.FromSeconds(30));
        var sent = await Sqs.SendMessageBatchAsync(queues.QueueUrl,
        [
            new OutgoingMessage("e0", WorkerHarness.Body("doc-1", "ocr", 0), "g", "d0", new Dictionary<string, string>
            {
                ["entity_id"] = "doc-1", ["task_name"] = "ocr", ["tenant"] = "acme", ["audit.by"] = "importer",
            }),
        ]);
        sent.Failed.Should().BeEmpty();

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.FromResult(TaskOutcome.DeadLetter("the scan is unreadable")), o =>
        {
            foreach (var name in keep.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                o.MessageAttributeNames.Add(name);
            }
        });
        await WorkerHarness.WaitUntilAsync(async () => (await CountsAsync(queues.DeadLetterQueueUrl)).Available == 1, Patience, "the dead letter");
        await worker.StopAsync();

        var handler = new TaskQueueHandler(Sqs, Microsoft.Extensions.Options.Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl, DeadLetterQueueUrl = queues.DeadLetterQueueUrl }));
        var letter = (await handler.GetDlqMessagesAsync()).Should().ContainSingle().Subject;
        (letter.EntityId, letter.TaskName, letter.DeadLetterReason).Should().Be(("doc-1", "ocr", "the scan is unreadable"));
        var copy = (await Sqs.ReceiveMessagesAsync(queues.DeadLetterQueueUrl, new ReceiveOptions(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)))).Should().ContainSingle().Subject;
        copy.Attributes.Should().Contain("entity_id", "doc-1").And.Contain("task_name", "ocr").And.ContainKeys(DeadLetterNote.ReasonAttribute, DeadLetterNote.AttemptsAttribute);
        copy.Attributes.Keys.Intersect(["tenant", "audit.by"]).Should().BeEquivalentTo(kept.Split(',', StringSplitOptions.RemoveEmptyEntries),
            "a copy made by the worker keeps the producer's attributes its receive asked for, and only those");
    }

    [Fact]
    public async Task Run_HandlerThrowsANonRetryableException_DeadLetteredOnItsFirstAttempt()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, maxReceiveCount: 5, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, [("g", WorkerHarness.Body("doc-1", "ocr", 0))]);

        await using var worker = new WorkerHarness(
            Sqs, queues, (_, _) => throw new UnauthorizedAccessException("the scan's bucket refuses us"), o => o.NonRetryableExceptions.Add(typeof(UnauthorizedAccessException)));
        await WorkerHarness.WaitUntilAsync(async () => (await CountsAsync(queues.DeadLetterQueueUrl)).Available == 1, Patience, "the dead letter");
        await worker.StopAsync();

        worker.Runs.Should().ContainSingle("a non-retryable exception is not retried");
        (await CountsAsync(queues.QueueUrl)).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task Run_HandlerReturnsCompleted_TaskDeleted()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await SendAsync(queues.QueueUrl, Enumerable.Range(0, 3).Select(i => ($"g{i}", WorkerHarness.Body($"doc-{i}", "ocr", 0))));

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.FromResult(TaskOutcome.Completed));
        await WorkerHarness.WaitUntilAsync(() => worker.Runs.Count >= 3, Patience, "three tasks");
        await WorkerHarness.WaitUntilAsync(async () => (await CountsAsync(queues.QueueUrl)) == (0L, 0L), Patience, "the deletes");
        await worker.StopAsync();

        worker.Runs.Should().HaveCount(3, "each ran once");
    }

    [Fact]
    public async Task Enqueue_ThenWork_TasksOfOneEntityRunInParallel()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var handler = new TaskQueueHandler(Sqs, Microsoft.Extensions.Options.Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl }));
        (await handler.EnqueueTasksAsync("doc-1", Enumerable.Range(0, 6).Select(i => new TaskSpec($"t{i}")))).AllSucceeded.Should().BeTrue();

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.Delay(300), configureWorker: o => o.MaxConcurrentTasks = 6);
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 6, Patience, "six tasks");

        worker.MaxRunning.Should().BeGreaterThan(1, "each task has its own message group");
    }
}

public sealed class InMemoryWorkerScenarios() : WorkerScenarios(new InMemoryRealTimeBackend());

public sealed class LocalServerWorkerScenarios() : WorkerScenarios(new LocalServerBackend());
