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

    private DeadLetterReconciler Reconciler(string deadLetterQueue, ISqsClient? sqs = null)
    {
        sqs ??= _sqs;
        var options = new TaskQueueOptions { QueueUrl = deadLetterQueue.Replace("-dlq", "-main", StringComparison.Ordinal), DeadLetterQueueUrl = deadLetterQueue };
        var tracker = new EntityCompletionTracker(new EntityTracking(_ledger), TimeProvider.System, NullLogger.Instance);
        return new DeadLetterReconciler(sqs, new DeadLetterQueueLocator(sqs, options), _ledger, tracker, new TaskBodyReader(null), NullLogger.Instance);
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
