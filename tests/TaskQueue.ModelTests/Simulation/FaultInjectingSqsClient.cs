using TaskQueue.ModelTests.Recording;
using TaskQueue.Sqs;

namespace TaskQueue.ModelTests.Simulation;

/// <summary>
/// One worker's (or producer's) connection to the in-memory SQS, with faults: a call throttled or failed before it
/// reaches the queue, or carried out and its response lost (a lost receive hides and counts messages the worker never
/// sees; a lost delete or send is done but reported failed). After <see cref="Crash"/> every call hangs until
/// cancelled, as for a process that died. Records what SQS carried out.
/// </summary>
public sealed class FaultInjectingSqsClient(ISqsClient inner, string name, string taskQueueUrl, CallFaultDice dice, Recorder recorder) : ISqsClient
{
    private volatile bool _crashed;

    public void Crash() => _crashed = true;

    public Task<SendBatchResult> SendMessageBatchAsync(string queueUrl, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default) =>
        CallAsync(
            "SendMessageBatch",
            () => inner.SendMessageBatchAsync(queueUrl, messages, cancellationToken),
            (result, lost) =>
            {
                foreach (var sent in result.Successful)
                {
                    var message = messages.Single(m => m.Id == sent.Id);
                    if (queueUrl == taskQueueUrl)
                    {
                        recorder.RecordSent(name, message, sent, lost);
                    }
                    else
                    {
                        recorder.RecordDeadLetterCopy(name, message);
                    }
                }
            },
            cancellationToken);

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default) =>
        CallAsync(
            "ReceiveMessage",
            () => inner.ReceiveMessagesAsync(queueUrl, options, cancellationToken),
            // Only the task queue's: a worker's dead-letter check receives from the DLQ, whose messages the oracle reads at the end.
            (result, lost) => { if (queueUrl == taskQueueUrl) { recorder.RecordReceive(name, result, lost); } },
            cancellationToken);

    public Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default) =>
        ReceiptCallAsync("DeleteMessage", receiptHandle, ReceiptCall.Delete, TimeSpan.Zero, () => inner.DeleteMessageAsync(queueUrl, receiptHandle, cancellationToken), cancellationToken);

    public Task<BatchResult> DeleteMessageBatchAsync(string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default) =>
        CallAsync(
            "DeleteMessageBatch",
            () => inner.DeleteMessageBatchAsync(queueUrl, entries, cancellationToken),
            (result, lost) => RecordEntries(result, lost, entries.Select(e => (e.Id, e.ReceiptHandle, TimeSpan.Zero)), ReceiptCall.Delete),
            cancellationToken);

    public Task ChangeMessageVisibilityAsync(string queueUrl, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) =>
        ReceiptCallAsync(
            "ChangeMessageVisibility",
            receiptHandle,
            ReceiptCall.ChangeVisibility,
            visibilityTimeout,
            () => inner.ChangeMessageVisibilityAsync(queueUrl, receiptHandle, visibilityTimeout, cancellationToken),
            cancellationToken);

    public Task<BatchResult> ChangeMessageVisibilityBatchAsync(string queueUrl, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken cancellationToken = default) =>
        CallAsync(
            "ChangeMessageVisibilityBatch",
            () => inner.ChangeMessageVisibilityBatchAsync(queueUrl, entries, cancellationToken),
            (result, lost) => { if (queueUrl == taskQueueUrl) { RecordEntries(result, lost, entries.Select(e => (e.Id, e.ReceiptHandle, e.VisibilityTimeout)), ReceiptCall.ChangeVisibility); } },
            cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken = default) =>
        CallAsync("GetQueueAttributes", () => inner.GetQueueAttributesAsync(queueUrl, attributeNames, cancellationToken), (_, _) => { }, cancellationToken);

    public Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken = default) =>
        CallAsync("GetQueueUrl", () => inner.GetQueueUrlAsync(queueName, cancellationToken), (_, _) => { }, cancellationToken);

    public Task<string> CreateQueueAsync(string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        CallAsync("CreateQueue", () => inner.CreateQueueAsync(queueName, attributes, cancellationToken), (_, _) => { }, cancellationToken);

    public Task DeleteQueueAsync(string queueUrl, CancellationToken cancellationToken = default) =>
        CallAsync("DeleteQueue", async () => { await inner.DeleteQueueAsync(queueUrl, cancellationToken).ConfigureAwait(false); return true; }, (_, _) => { }, cancellationToken);

    public Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken = default) =>
        CallAsync("ListQueues", () => inner.ListQueuesAsync(prefix, cancellationToken), (_, _) => { }, cancellationToken);

    private void RecordEntries(BatchResult result, bool lost, IEnumerable<(string Id, string ReceiptHandle, TimeSpan VisibilityTimeout)> entries, ReceiptCall call)
    {
        foreach (var (id, receiptHandle, visibilityTimeout) in entries)
        {
            recorder.RecordReceiptCall(name, receiptHandle, call, visibilityTimeout, result.SuccessfulIds.Contains(id), lost);
        }
    }

    /// <summary>A single delete or visibility change: SQS's rejection (a stale or expired receipt) is recorded too, then passed on.</summary>
    private async Task ReceiptCallAsync(string operation, string receiptHandle, ReceiptCall call, TimeSpan visibilityTimeout, Func<Task> send, CancellationToken cancellationToken) =>
        await CallAsync(
            operation,
            async () =>
            {
                try
                {
                    await send().ConfigureAwait(false);
                    return (Exception?)null;
                }
                catch (SqsRequestException rejected)
                {
                    return rejected;
                }
            },
            (rejected, lost) => recorder.RecordReceiptCall(name, receiptHandle, call, visibilityTimeout, rejected is null, lost),
            cancellationToken,
            rejected => rejected).ConfigureAwait(false);

    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> send, Action<T, bool> record, CancellationToken cancellationToken, Func<T, Exception?>? failure = null)
    {
        if (_crashed)
        {
            return await BlackHoleAsync<T>(cancellationToken).ConfigureAwait(false);
        }

        var fault = dice.Next();
        if (fault is CallFault.ThrottledBefore or CallFault.ServerErrorBefore)
        {
            recorder.RecordFault(name, operation, fault.ToString());
            throw Injected(fault, operation);
        }

        var result = await send().ConfigureAwait(false);
        var crashedMeanwhile = _crashed;
        record(result, fault != CallFault.None || crashedMeanwhile);
        if (crashedMeanwhile)
        {
            return await BlackHoleAsync<T>(cancellationToken).ConfigureAwait(false);
        }

        if (fault != CallFault.None)
        {
            recorder.RecordFault(name, operation, fault.ToString());
            throw Injected(fault, operation);
        }

        if (failure?.Invoke(result) is { } rejected)
        {
            throw rejected;
        }

        return result;
    }

    private static async Task<T> BlackHoleAsync<T>(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("unreachable: an infinite wait ended without cancellation");
    }

    private static TaskQueueException Injected(CallFault fault, string operation) => fault switch
    {
        CallFault.ThrottledBefore or CallFault.ThrottledAfter => new SqsThrottledException($"{operation}: Rate exceeded (injected, {fault})"),
        _ => new SqsRequestException($"{operation}: We encountered an internal error (injected, {fault})", "InternalError", isTransient: true, null),
    };
}
