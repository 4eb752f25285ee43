using System.Collections.Concurrent;
using FluentAssertions;
using Microsoft.Extensions.Options;
using TaskQueue.IntegrationTests.Completion;
using TaskQueue.IntegrationTests.Worker;
using TaskQueue.Sqs;
using TaskQueue.Testing;
using TaskQueue.TestSupport;
using TaskQueue.TestSupport.Backends;

namespace TaskQueue.IntegrationTests.LargePayloads;

/// <summary>The worker on stored bodies: fetched before the run, deleted after the message, and tracked like any task.</summary>
public abstract class LargePayloadWorkerScenarios(ISqsBackend backend)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ISqsClient Sqs => backend.Client;

    protected abstract IPayloadStore Store { get; }

    protected abstract Task<string> BucketAsync();

    protected abstract Task<int> ObjectsLeftAsync(string bucket);

    [Fact]
    public async Task Worker_EntityWithLargeAndSmallTasks_RunsEachWithItsWholeConfigDeletesTheObjectsAndCompletesTheBatch()
    {
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var bucket = await BucketAsync();
        var ledger = new InMemoryEntityLedger();
        var announced = new RecordingCompletionHandler();
        var options = new TaskQueueOptions { QueueUrl = queues.QueueUrl, DeadLetterQueueUrl = queues.DeadLetterQueueUrl };
        options.LargePayloads.Bucket = bucket;
        options.LargePayloads.Threshold = 4_096;
        var producer = new TaskQueueHandler(Sqs, Options.Create(options), entityTracking: new EntityTracking(ledger), payloadStore: Store);
        var text = new string('x', 50_000);
        var enqueued = await producer.EnqueueTasksAsync(
            "doc-large",
            [new TaskSpec("ocr", new { text }), new TaskSpec("index", new { text }), new TaskSpec("small", new { text = "s" })],
            metadata: null);
        var configs = new ConcurrentDictionary<string, int>();

        await using var worker = new WorkerHarness(
            Sqs,
            queues,
            (task, _) =>
            {
                configs[task.TaskName] = task.TaskConfig.GetProperty("text").GetString()!.Length;
                return Task.CompletedTask;
            },
            configure: o => o.LargePayloads.Bucket = bucket,
            entityTracking: new EntityTracking(ledger, [announced]),
            payloadStore: Store);
        await WorkerHarness.WaitUntilAsync(() => !announced.Completions.IsEmpty, Patience, "the completion");
        await worker.StopAsync();

        configs.Should().BeEquivalentTo(new Dictionary<string, int> { ["ocr"] = 50_000, ["index"] = 50_000, ["small"] = 1 });
        announced.Completions.Should().ContainSingle().Which.BatchId.Should().Be(enqueued.BatchId);
        await WorkerHarness.WaitUntilAsync(async () => (await ObjectsLeftAsync(bucket)) == 0, Patience, "the stored bodies deleted after their messages");
    }

    [Fact]
    public async Task Worker_TaskLimitOnStoredBodies_HoldsAcrossGroupsBeforeAnyBodyIsFetched()
    {
        // A stored body's message carries only a pointer: the limit must be read from the task_name attribute, which the
        // receive then has to ask for (on the server, through the SDK's attribute checksum).
        await using var queues = await TestQueues.CreateAsync(Sqs, visibilityTimeout: TimeSpan.FromSeconds(30));
        var bucket = await BucketAsync();
        var options = new TaskQueueOptions { QueueUrl = queues.QueueUrl };
        options.LargePayloads.Bucket = bucket;
        options.LargePayloads.Threshold = 4_096;
        var producer = new TaskQueueHandler(Sqs, Options.Create(options), payloadStore: Store);
        var text = new string('x', 20_000);
        for (var i = 0; i < 4; i++)
        {
            await producer.EnqueueTasksAsync($"doc-{i}", [new TaskSpec("ocr", new { text })], metadata: null);
        }

        var ran = new ConcurrentBag<string>();
        await using var worker = new WorkerHarness(
            Sqs,
            queues,
            async (task, _) =>
            {
                ran.Add(task.EntityId);
                await Task.Delay(150);
            },
            configure: o => o.LargePayloads.Bucket = bucket,
            configureWorker: o => o.TaskLimits["ocr"] = new TaskLimit { MaxConcurrency = 1 },
            payloadStore: Store);
        await WorkerHarness.WaitUntilAsync(() => worker.Succeeded >= 4, Patience, "the four limited tasks");
        await worker.StopAsync();

        ran.Should().BeEquivalentTo(["doc-0", "doc-1", "doc-2", "doc-3"], "each stored task ran once");
        worker.MaxRunning.Should().Be(1, "the limit of one ocr task at a time held over four groups of stored bodies");
        await WorkerHarness.WaitUntilAsync(async () => (await ObjectsLeftAsync(bucket)) == 0, Patience, "the stored bodies deleted after their messages");
    }
}

public sealed class InMemoryLargePayloadWorkerScenarios() : LargePayloadWorkerScenarios(new InMemoryRealTimeBackend())
{
    private readonly InMemoryPayloadStore _store = new();

    protected override IPayloadStore Store => _store;

    protected override Task<string> BucketAsync() => Task.FromResult("task-bodies");

    protected override Task<int> ObjectsLeftAsync(string bucket) => Task.FromResult(_store.Count);
}

public sealed class LocalServerLargePayloadWorkerScenarios() : LargePayloadWorkerScenarios(new LocalServerBackend())
{
    protected override IPayloadStore Store { get; } = new S3PayloadStore(LocalS3Server.SdkClient);

    protected override Task<string> BucketAsync() => LocalS3Server.CreateBucketAsync("worker-bodies");

    protected override async Task<int> ObjectsLeftAsync(string bucket) =>
        (await LocalS3Server.SdkClient.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket })).S3Objects?.Count ?? 0;
}
