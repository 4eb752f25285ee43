using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;
using TaskQueue.Testing;

namespace TaskQueue.Tests.Completion;

/// <summary>
/// The dead-letter check on the in-memory SQS, whose FIFO receives serve groups oldest first and several messages of a
/// group in order, as AWS does: dead letters the redrive policy moved are found, also behind held ones of their group.
/// </summary>
public class DeadLetterReconcilerTests
{
    private readonly InMemorySqsClient _sqs = new();
    private readonly InMemoryEntityLedger _ledger = new();

    [Fact]
    public async Task Reconcile_DeadLetterBehindAHeldOneOfItsGroup_ReachedAndItsBatchCompletes()
    {
        var deadLetterQueue = await _sqs.CreateQueueAsync("reconcile-dlq.fifo", new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" });
        // Written straight to the DLQ, as the redrive policy leaves them: nine groups, then doc-1's task "a", then one more
        // group, then doc-1's "a" again from a second batch. The first page (10) ends with the first "a": the second,
        // behind it in its group, is not returned while the first is held.
        var producer = new TaskQueueHandler(_sqs, Options.Create(new TaskQueueOptions { QueueUrl = deadLetterQueue }), entityTracking: new EntityTracking(_ledger));
        await producer.EnqueueTasksAsync("other", [.. Enumerable.Range(1, 9).Select(i => new TaskSpec($"t{i}"))]);
        await producer.EnqueueTasksAsync("doc-1", [new TaskSpec("a")]);
        await producer.EnqueueTasksAsync("later", [new TaskSpec("t10")]);
        var behind = await producer.EnqueueTasksAsync("doc-1", [new TaskSpec("a")]);

        var recorded = await Reconciler(deadLetterQueue).ReconcileAsync(CancellationToken.None);

        recorded.Should().Be(12, "every dead letter is reached, the one behind its group's first included");
        var batch = (await _ledger.GetBatchesAsync("doc-1", default)).Single(b => b.BatchId == behind.BatchId);
        batch.IsComplete.Should().BeTrue();
        batch.Tasks.Single().State.Should().Be(EntityTaskState.DeadLettered);
        var counts = await _sqs.GetQueueAttributesAsync(deadLetterQueue, [QueueAttributeNames.ApproximateNumberOfMessages]);
        counts[QueueAttributeNames.ApproximateNumberOfMessages].Should().Be("12", "the check holds dead letters only while it records them");
    }

    [Fact]
    public async Task Reconcile_NothingBehindHeldOnes_NoReceiveBeyondThePages()
    {
        var counting = new ReceiveCountingSqs(_sqs);
        var deadLetterQueue = await _sqs.CreateQueueAsync("reconcile-dlq2.fifo", new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" });
        var producer = new TaskQueueHandler(_sqs, Options.Create(new TaskQueueOptions { QueueUrl = deadLetterQueue }), entityTracking: new EntityTracking(_ledger));
        await producer.EnqueueTasksAsync("doc-2", [new TaskSpec("a"), new TaskSpec("b")]);

        (await Reconciler(deadLetterQueue, counting).ReconcileAsync(CancellationToken.None)).Should().Be(2);

        counting.Receives.Should().Be(2, "one page brought both, the next came back empty, and nothing was left visible");
    }

    [Fact]
    public async Task Reconcile_DeadLetterOfAnUnfinishedBatch_LookedAtAgainOnceTheBatchCompletesWithItsClaimLeftOnIt()
    {
        var deadLetterQueue = await _sqs.CreateQueueAsync("reconcile-dlq3.fifo", new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" });
        var producer = new TaskQueueHandler(_sqs, Options.Create(new TaskQueueOptions { QueueUrl = deadLetterQueue }), entityTracking: new EntityTracking(_ledger));
        var enqueued = await producer.EnqueueTasksAsync("doc-3", [new TaskSpec("a"), new TaskSpec("b")]);
        var deadLetterId = enqueued.Tasks[0].MessageId!;
        var announced = new List<EntityBatchStatus>();
        var reconciler = Reconciler(deadLetterQueue, announce: announced.Add);
        // "a" is dead-lettered and known (a worker moved and recorded it); "b" is still running elsewhere.
        await _ledger.RecordAsync(Fate("doc-3", enqueued.BatchId, "a", 2, EntityTaskState.DeadLettered), default);
        var both = await _sqs.ReceiveMessagesAsync(deadLetterQueue, new ReceiveOptions(10, TimeSpan.Zero, TimeSpan.FromMinutes(1)));
        await _sqs.DeleteMessageAsync(deadLetterQueue, both.Single(m => m.MessageId != deadLetterId).ReceiptHandle);
        await _sqs.ChangeMessageVisibilityAsync(deadLetterQueue, both.Single(m => m.MessageId == deadLetterId).ReceiptHandle, TimeSpan.Zero);
        (await reconciler.ReconcileAsync(CancellationToken.None)).Should().Be(0, "\"a\" is recorded and its batch is not complete");

        // "b" completes; the announcement's claim went to a dead-letter check that claimed through "a" and died.
        await _ledger.RecordAsync(Fate("doc-3", enqueued.BatchId, "b", 2, EntityTaskState.Completed), default);
        (await _ledger.TryClaimCompletionAsync("doc-3", enqueued.BatchId, 1, deadLetterId, default)).Should().BeTrue();
        await reconciler.ReconcileAsync(CancellationToken.None);

        announced.Should().ContainSingle(b => b.BatchId == enqueued.BatchId && b.IsComplete, "the check that looked at \"a\" before looks again and holds its claim");
    }

    [Fact]
    public async Task Reconcile_DeadLettersNoReceiveCanReach_LooksBehindAtMostTheBoundOfGroupsAPass()
    {
        // A server that returns one message per group: the second of each group is out of reach while the first is held,
        // and letting the first go only brings it back.
        var sqs = new InMemorySqsClient(options: new InMemorySqsOptions { FifoReceiveMode = FifoReceiveMode.OnePerGroup });
        var counting = new ReceiveCountingSqs(sqs);
        var deadLetterQueue = await sqs.CreateQueueAsync("reconcile-dlq4.fifo", new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true" });
        var producer = new TaskQueueHandler(sqs, Options.Create(new TaskQueueOptions { QueueUrl = deadLetterQueue }), entityTracking: new EntityTracking(_ledger));
        for (var round = 0; round < 2; round++)
        {
            await producer.EnqueueTasksAsync("doc-4", [.. Enumerable.Range(0, 15).Select(i => new TaskSpec($"t{i}"))]);
        }

        (await Reconciler(deadLetterQueue, counting).ReconcileAsync(CancellationToken.None)).Should().Be(15);

        counting.Receives.Should().Be(3 + DeadLetterReconciler.MaxGroupsLookedBehind, "two pages and an empty one, then one receive for each group looked behind, up to the bound");
    }

    private static TaskFate Fate(string entity, string batchId, string task, int total, EntityTaskState state) =>
        new(entity, batchId, task, total, state, 1, null, null, DateTimeOffset.UtcNow, TimeSpan.Zero);

    private DeadLetterReconciler Reconciler(string deadLetterQueue, ISqsClient? sqs = null, Action<EntityBatchStatus>? announce = null)
    {
        sqs ??= _sqs;
        var options = new TaskQueueOptions { QueueUrl = deadLetterQueue.Replace("-dlq", "-main", StringComparison.Ordinal), DeadLetterQueueUrl = deadLetterQueue };
        IEntityCompletionHandler[] handlers = announce is null ? [] : [new AnnouncingHandler(announce)];
        var tracker = new EntityCompletionTracker(new EntityTracking(_ledger, handlers), TimeProvider.System, NullLogger.Instance);
        return new DeadLetterReconciler(sqs, new DeadLetterQueueLocator(sqs, options), _ledger, tracker, new TaskBodyReader(null), NullLogger.Instance);
    }

    /// <summary>Hands each announced completion to a callback.</summary>
    private sealed class AnnouncingHandler(Action<EntityBatchStatus> announce) : IEntityCompletionHandler
    {
        public Task OnEntityCompletedAsync(EntityBatchStatus batch, CancellationToken cancellationToken)
        {
            announce(batch);
            return Task.CompletedTask;
        }
    }

    /// <summary>Counts receives on their way to the in-memory SQS.</summary>
    private sealed class ReceiveCountingSqs(ISqsClient inner) : DelegatingSqsClient(inner)
    {
        public int Receives { get; private set; }

        public override Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default)
        {
            Receives++;
            return base.ReceiveMessagesAsync(queueUrl, options, cancellationToken);
        }
    }
}
