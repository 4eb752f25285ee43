using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.IntegrationTests.Worker;
using TaskQueue.Sqs;
using TaskQueue.Testing;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.Completion;

/// <summary>Entity completion end to end, on the in-memory SQS (AWS's FIFO receive semantics) and on the local SQS server.</summary>
public abstract class EntityCompletionScenarios(ISqsBackend backend)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly InMemoryEntityLedger _ledger = new();
    private readonly RecordingCompletionHandler _announced = new();

    private ISqsClient Sqs => backend.Client;

    private EntityTracking Tracking => new(_ledger, [_announced]);

    private TaskQueueHandler Producer(TestQueues queues) =>
        new(Sqs, Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl, DeadLetterQueueUrl = queues.DeadLetterQueueUrl }), entityTracking: Tracking);

    private static TaskSpec[] Tasks(params string[] names) => [.. names.Select(n => new TaskSpec(n))];

    [Fact]
    public async Task Worker_AllTasksOfAnEntitySucceed_AnnouncesOneCompletionWithEveryTask()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var enqueued = await Producer(queues).EnqueueTasksAsync("doc-1", Tasks("ocr", "summary", "yearBuilt"));
        enqueued.BatchId.Should().NotBeNullOrEmpty();
        (await _ledger.GetBatchesAsync("doc-1", default)).Single().Tasks.Should().OnlyContain(t => t.State == EntityTaskState.Pending, "enqueue recorded the batch");

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.CompletedTask, configureWorker: o => o.MaxConcurrentTasks = 3, entityTracking: Tracking);
        await WorkerHarness.WaitUntilAsync(() => !_announced.Completions.IsEmpty, Patience, "the completion");
        await worker.StopAsync();

        var completion = _announced.Completions.Should().ContainSingle().Subject;
        completion.BatchId.Should().Be(enqueued.BatchId);
        completion.EntityId.Should().Be("doc-1");
        completion.AllSucceeded.Should().BeTrue();
        completion.Revision.Should().Be(1);
        completion.Tasks.Select(t => t.TaskName).Should().BeEquivalentTo("ocr", "summary", "yearBuilt");
        completion.Tasks.Should().OnlyContain(t => t.State == EntityTaskState.Completed && t.Attempts == 1 && t.FinishedAt != null);
        (await _ledger.GetBatchesAsync("doc-1", default)).Single().AnnouncedRevision.Should().Be(1);
    }

    [Fact]
    public async Task Worker_TwoBatchesOfOneEntity_EachCompletesOnItsOwn()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var producer = Producer(queues);
        var first = await producer.EnqueueTasksAsync("doc-2", Tasks("a", "b"));
        var second = await producer.EnqueueTasksAsync("doc-2", Tasks("a", "b"));

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.CompletedTask, entityTracking: Tracking);
        await WorkerHarness.WaitUntilAsync(() => _announced.Completions.Count >= 2, Patience, "two completions");
        await worker.StopAsync();

        _announced.Completions.Select(c => c.BatchId).Should().BeEquivalentTo([first.BatchId, second.BatchId]);
        (await _ledger.GetBatchesAsync("doc-2", default)).Should().HaveCount(2).And.OnlyContain(b => b.IsComplete && b.AnnouncedRevision == 1);
    }

    [Fact]
    public async Task Worker_OneTaskFailsEveryAttempt_DeadLetteredByTheWorkerAndTheBatchCompletesWithThatOutcome()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, maxReceiveCount: 2, visibilityTimeout: TimeSpan.FromSeconds(30));
        var enqueued = await Producer(queues).EnqueueTasksAsync("doc-3", Tasks("good", "bad"));

        await using var worker = new WorkerHarness(
            Sqs, queues, (task, _) => task.TaskName == "bad" ? throw new InvalidOperationException("page 3 unreadable") : Task.CompletedTask, entityTracking: Tracking);
        await WorkerHarness.WaitUntilAsync(() => !_announced.Completions.IsEmpty, Patience, "the completion");
        await worker.StopAsync();

        var completion = _announced.Completions.Should().ContainSingle().Subject;
        completion.BatchId.Should().Be(enqueued.BatchId);
        completion.AllSucceeded.Should().BeFalse();
        var bad = completion.Tasks.Single(t => t.TaskName == "bad");
        bad.State.Should().Be(EntityTaskState.DeadLettered);
        bad.Attempts.Should().Be(2, "the queue's maxReceiveCount");
        bad.LastError.Should().Contain("page 3 unreadable");
        _announced.DeadLetters.Should().ContainSingle(f => f.TaskName == "bad");
        var deadLetters = await new TaskQueueHandler(Sqs, Options.Create(new TaskQueueOptions { QueueUrl = queues.QueueUrl, DeadLetterQueueUrl = queues.DeadLetterQueueUrl })).GetDlqMessagesAsync();
        deadLetters.Should().ContainSingle(d => d.TaskName == "bad", "the worker moved it itself, so the ledger heard of it");
    }

    [Fact]
    public async Task Worker_HandlerAsksForDeadLetter_RecordedAndCompleted()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await Producer(queues).EnqueueTasksAsync("doc-4", Tasks("only"));

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.FromResult(TaskOutcome.DeadLetter("not a PDF")), entityTracking: Tracking);
        await WorkerHarness.WaitUntilAsync(() => !_announced.Completions.IsEmpty, Patience, "the completion");
        await worker.StopAsync();

        var task = _announced.Completions.Should().ContainSingle().Subject.Tasks.Single();
        task.State.Should().Be(EntityTaskState.DeadLettered);
        task.LastError.Should().Be("not a PDF");
    }

    [Fact]
    public async Task Worker_LedgerFailsTwice_MessageKeptUntilRecordedThenCompletedOnce()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await Producer(queues).EnqueueTasksAsync("doc-5", Tasks("a"));
        _ledger.FailNext(2);

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.CompletedTask, entityTracking: Tracking);
        await WorkerHarness.WaitUntilAsync(() => !_announced.Completions.IsEmpty, Patience, "the completion");
        await worker.StopAsync();

        _announced.Completions.Should().ContainSingle();
        worker.Runs.Should().ContainSingle("the fate was recorded again, the task not run again");
        (await QueueDepthAsync(queues.QueueUrl)).Should().Be(0, "deleted once recorded");
    }

    [Fact]
    public async Task Worker_CompletionHandlerFailsOnce_AnnouncedOnRetryAndDeletedAfter()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        await Producer(queues).EnqueueTasksAsync("doc-6", Tasks("a", "b"));
        _announced.FailNext(1);

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.CompletedTask, entityTracking: Tracking);
        await WorkerHarness.WaitUntilAsync(() => !_announced.Completions.IsEmpty, Patience, "the completion");
        await worker.StopAsync();

        _announced.Completions.Should().ContainSingle();
        (await _ledger.GetBatchesAsync("doc-6", default)).Single().AnnouncedRevision.Should().Be(1);
        (await QueueDepthAsync(queues.QueueUrl)).Should().Be(0);
    }

    [Fact]
    public async Task Worker_RedrivenDeadLetterSucceeds_ReopensTheBatchAndAnnouncesRevisionTwo()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var producer = Producer(queues);
        var enqueued = await producer.EnqueueTasksAsync("doc-7", Tasks("a", "flaky"));
        var fixedUp = 0;

        await using var worker = new WorkerHarness(
            Sqs,
            queues,
            (task, _) => Task.FromResult(task.TaskName == "flaky" && Volatile.Read(ref fixedUp) == 0 ? TaskOutcome.DeadLetter("source offline") : TaskOutcome.Completed),
            entityTracking: Tracking);
        await WorkerHarness.WaitUntilAsync(() => !_announced.Completions.IsEmpty, Patience, "the first completion");
        Volatile.Write(ref fixedUp, 1);
        var redriven = await producer.RedriveDeadLettersAsync(new RedriveOptions { EntityId = "doc-7" });
        redriven.Moved.Should().Be(1);
        await WorkerHarness.WaitUntilAsync(() => _announced.Completions.Count >= 2, Patience, "the second completion");
        await worker.StopAsync();

        var completions = _announced.Completions.ToList();
        completions.Should().HaveCount(2);
        completions[0].Should().Match<EntityBatchStatus>(c => c.BatchId == enqueued.BatchId && c.Revision == 1 && !c.AllSucceeded);
        completions[1].Should().Match<EntityBatchStatus>(c => c.BatchId == enqueued.BatchId && c.Revision == 2 && c.AllSucceeded);
        var status = await producer.GetEntityStatusAsync("doc-7");
        status.Batches.Single().Tasks.Should().OnlyContain(t => t.State == EntityTaskState.Completed);
    }

    [Fact]
    public async Task GetEntityStatus_DeadLetteredTaskStillInTheDlq_SaysSo()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var producer = Producer(queues);
        await producer.EnqueueTasksAsync("doc-8", Tasks("a", "b", "c"));

        await using (var worker = new WorkerHarness(
            Sqs, queues, (task, _) => Task.FromResult(task.TaskName == "b" ? TaskOutcome.DeadLetter("bad input") : TaskOutcome.Completed), entityTracking: Tracking))
        {
            await WorkerHarness.WaitUntilAsync(() => !_announced.Completions.IsEmpty, Patience, "the completion");
        }

        var status = await producer.GetEntityStatusAsync("doc-8");
        var batch = status.Batches.Should().ContainSingle().Subject;
        batch.IsComplete.Should().BeTrue();
        batch.Tasks.Single(t => t.TaskName == "b").Should().Match<EntityTaskStatus>(t => t.State == EntityTaskState.DeadLettered && t.InDeadLetterQueue == true && t.LastError == "bad input");
        batch.Tasks.Where(t => t.TaskName != "b").Should().OnlyContain(t => t.State == EntityTaskState.Completed && t.InDeadLetterQueue == null);
    }

    [Fact]
    public async Task Worker_TaskMovedByTheRedrivePolicyAfterAWorkerDied_FoundInTheDlqAndTheBatchCompletes()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, maxReceiveCount: 2, visibilityTimeout: TimeSpan.FromSeconds(30));
        var enqueued = await Producer(queues).EnqueueTasksAsync("doc-10", Tasks("a"));
        // A worker that dies during each attempt: received up to maxReceiveCount times, never deleted or recorded.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var received = await Sqs.ReceiveMessagesAsync(queues.QueueUrl, new ReceiveOptions(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
            received.Should().ContainSingle();
            await backend.LetTimePassAsync(TimeSpan.FromSeconds(1.5));
        }

        await using var worker = new WorkerHarness(
            Sqs, queues, (_, _) => Task.CompletedTask, configureWorker: o => o.DeadLetterCheckInterval = TimeSpan.FromSeconds(1), entityTracking: Tracking);
        await WorkerHarness.WaitUntilAsync(() => !_announced.Completions.IsEmpty, Patience, "the completion");
        await worker.StopAsync();

        worker.Runs.Should().BeEmpty("the redrive policy moved the task on the worker's first receive");
        var completion = _announced.Completions.Should().ContainSingle().Subject;
        completion.BatchId.Should().Be(enqueued.BatchId);
        completion.Tasks.Single().Should().Match<EntityTaskStatus>(t => t.State == EntityTaskState.DeadLettered && t.LastError == DeadLetterReconciler.Reason);
        _announced.DeadLetters.Should().ContainSingle();
    }

    [Fact]
    public async Task ProcessOne_WithTracking_RecordsEachFateAndAnnouncesTheCompletion()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var handler = Producer(queues);
        var enqueued = await handler.EnqueueTasksAsync("doc-11", Tasks("a", "b"));

        for (var i = 0; i < 2; i++)
        {
            var result = await handler.ProcessOneAsync((_, _) => Task.CompletedTask);
            result.Should().NotBeNull();
            result!.Deleted.Should().BeTrue();
        }

        var completion = _announced.Completions.Should().ContainSingle().Subject;
        completion.BatchId.Should().Be(enqueued.BatchId);
        completion.AllSucceeded.Should().BeTrue();
        (await QueueDepthAsync(queues.QueueUrl)).Should().Be(0);
    }

    [Fact]
    public async Task Worker_BodyWithoutBatchId_RunsAndCostsTheLedgerNothing()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var sent = await Sqs.SendMessageBatchAsync(queues.QueueUrl, [new OutgoingMessage("0", WorkerHarness.Body("doc-9", "t", 0), "g", "d-1")]);
        sent.Failed.Should().BeEmpty();

        await using var worker = new WorkerHarness(Sqs, queues, (_, _) => Task.CompletedTask, entityTracking: Tracking);
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 1, Patience, "the task");
        await worker.StopAsync();

        _ledger.Writes.Should().Be(0, "a body from a producer that writes no batch id is not tracked");
        (await QueueDepthAsync(queues.QueueUrl)).Should().Be(0);
    }

    private async Task<long> QueueDepthAsync(string queueUrl)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(queueUrl, [QueueAttributeNames.ApproximateNumberOfMessages, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible]);
        return attributes.Values.Sum(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class InMemoryEntityCompletionScenarios() : EntityCompletionScenarios(new InMemoryRealTimeBackend());

public sealed class LocalServerEntityCompletionScenarios() : EntityCompletionScenarios(new LocalServerBackend());
