using Amazon.SQS;
using Amazon.SQS.Model;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// (c) The reference design's pattern: SendMessage one task at a time, ReceiveMessage of one with a 2 s long poll,
/// DeleteMessage one; <see cref="Workload.Lanes"/> loops at once (<c>reference</c>), or, to compare at the same number
/// of messages in flight as the batching variants, ten times as many (<c>reference-wide</c>).
/// </summary>
public sealed class ReferenceVariant(IAmazonSQS sqs, bool wide) : IVariant
{
    /// <inheritdoc />
    public string Name => wide ? "reference-wide" : "reference";

    private int Loops(Workload workload) => wide ? workload.Lanes * Workload.TasksPerEntity : workload.Lanes;

    /// <inheritdoc />
    public async Task ProduceAsync(string queueUrl, Workload workload, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Loops(workload)).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < workload.Tasks)
            {
                var entityId = workload.EntityId(index / Workload.TasksPerEntity);
                var task = Workload.TaskNames[index % Workload.TasksPerEntity];
                await sqs.SendMessageAsync(
                    new SendMessageRequest
                    {
                        QueueUrl = queueUrl,
                        MessageBody = Workload.Body(entityId, task),
                        MessageGroupId = $"{entityId}-{task}",
                        MessageDeduplicationId = $"{entityId}-{task}",
                        MessageAttributes = new Dictionary<string, MessageAttributeValue>
                        {
                            ["entity_id"] = new() { DataType = "String", StringValue = entityId },
                            ["task_name"] = new() { DataType = "String", StringValue = task },
                        },
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task ConsumeAsync(string queueUrl, Workload workload, DoneCounter done, CancellationToken cancellationToken) =>
        ConsumerLoops.RunUntilDoneAsync(Loops(workload), sqs, queueUrl, 1, async messages =>
        {
            await sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = queueUrl, ReceiptHandle = messages[0].ReceiptHandle }, CancellationToken.None).ConfigureAwait(false);
            return 1;
        }, done, cancellationToken);
}
