using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// (b) The best case by hand over AWSSDK.SQS: SendMessageBatch of 10, ReceiveMessage of 10 with a 2 s long poll
/// and no attributes asked for, DeleteMessageBatch of what came back; <see cref="Workload.Lanes"/> loops at once,
/// so the same number of messages is in flight as in the other variants. The "handler" does nothing.
/// <c>sdk-batch</c> waits for each delete before the next receive; <c>sdk-pipelined</c> (<paramref name="pipelined"/>)
/// receives again while it is in flight, as the library's pollers do. <c>sdk-pipelined+read</c>
/// (<see cref="LoopReading.Tasks"/>) also does what a hand-written consumer of these tasks must: asks for the attributes
/// the worker asks for and reads each task (its body deserialized with System.Text.Json's source generator, its receive
/// count and group) before the delete; <c>sdk-pipelined+attributes</c> (<see cref="LoopReading.Attributes"/>) asks for
/// them and reads nothing: what asking alone costs.
/// </summary>
public sealed class SdkBatchVariant(IAmazonSQS sqs, bool pipelined = false, LoopReading reading = LoopReading.Nothing) : IVariant
{
    /// <summary>What the worker's receives ask for on these queues (see TaskReceives; the stored-body size names are internal there).</summary>
    private static readonly (List<string> System, List<string> Message) WorkerAttributes = (
        [SystemAttributeNames.ApproximateReceiveCount, SystemAttributeNames.MessageGroupId],
        [TaskQueueDiagnostics.TraceParentAttribute, TaskQueueDiagnostics.TraceStateAttribute, "ExtendedPayloadSize", "SQSLargePayloadSize"]);

    /// <summary>Sums what was read, so that reading is not optimized away.</summary>
    private static long s_read;

    /// <inheritdoc />
    public string Name => reading switch
    {
        LoopReading.Tasks => "sdk-pipelined+read",
        LoopReading.Attributes => "sdk-pipelined+attributes",
        _ => pipelined ? "sdk-pipelined" : "sdk-batch",
    };

    /// <inheritdoc />
    public async Task ProduceAsync(string queueUrl, Workload workload, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workload.Lanes).Select(_ => Task.Run(async () =>
        {
            int entity;
            while ((entity = Interlocked.Increment(ref next)) < workload.Entities)
            {
                var entityId = workload.EntityId(entity);
                var response = await sqs.SendMessageBatchAsync(
                    new SendMessageBatchRequest
                    {
                        QueueUrl = queueUrl,
                        Entries = [.. Workload.TaskNames.Select((task, i) => new SendMessageBatchRequestEntry
                        {
                            Id = i.ToString(CultureInfo.InvariantCulture),
                            MessageBody = Workload.Body(entityId, task),
                            MessageGroupId = $"{entityId}-{task}",
                            MessageDeduplicationId = $"{entityId}-{task}",
                            MessageAttributes = new Dictionary<string, MessageAttributeValue>
                            {
                                ["entity_id"] = new() { DataType = "String", StringValue = entityId },
                                ["task_name"] = new() { DataType = "String", StringValue = task },
                            },
                        })],
                    },
                    cancellationToken).ConfigureAwait(false);
                if (response.Failed is { Count: > 0 } failed)
                {
                    throw new InvalidOperationException($"send of {entityId} failed: {failed[0].Code}");
                }
            }
        }, cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task ConsumeAsync(string queueUrl, Workload workload, DoneCounter done, CancellationToken cancellationToken) =>
        ConsumerLoops.RunUntilDoneAsync(workload.Lanes, sqs, queueUrl, 10, async messages =>
        {
            if (reading == LoopReading.Tasks)
            {
                foreach (var message in messages)
                {
                    Interlocked.Add(ref s_read, WireTask.Read(message));
                }
            }

            var deleted = await sqs.DeleteMessageBatchAsync(
                new DeleteMessageBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. messages.Select((m, i) => new DeleteMessageBatchRequestEntry { Id = i.ToString(CultureInfo.InvariantCulture), ReceiptHandle = m.ReceiptHandle })],
                },
                CancellationToken.None).ConfigureAwait(false);
            return deleted.Successful?.Count ?? 0;
        }, done, cancellationToken, pipelined, reading == LoopReading.Nothing ? null : WorkerAttributes);
}

/// <summary>What a hand-written loop reads of the messages it receives.</summary>
public enum LoopReading
{
    /// <summary>Nothing: no attribute is asked for, no body read.</summary>
    Nothing,

    /// <summary>The worker's attributes are asked for; nothing is read.</summary>
    Attributes,

    /// <summary>The worker's attributes are asked for, and each task is read.</summary>
    Tasks,
}
