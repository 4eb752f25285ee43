using TaskQueue.Sqs;

namespace TaskQueue.Tests.Worker.Flow;

/// <summary>
/// Passes every call on, and counts the receives started and under way, so a test knows when a long poll is waiting; keeps
/// the options of the latest receive.
/// </summary>
internal sealed class ReceiveWatchingSqsClient(ISqsClient inner) : ISqsClient
{
    private int _started;
    private int _underWay;

    public int ReceivesStarted => Volatile.Read(ref _started);

    public int ReceivesUnderWay => Volatile.Read(ref _underWay);

    /// <summary>What the latest receive asked for.</summary>
    public ReceiveOptions? LastReceive { get; private set; }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default)
    {
        LastReceive = options;
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _underWay);
        try
        {
            return await inner.ReceiveMessagesAsync(queueUrl, options, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _underWay);
        }
    }

    public Task<SendBatchResult> SendMessageBatchAsync(string queueUrl, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default) =>
        inner.SendMessageBatchAsync(queueUrl, messages, cancellationToken);

    public Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default) =>
        inner.DeleteMessageAsync(queueUrl, receiptHandle, cancellationToken);

    public Task<BatchResult> DeleteMessageBatchAsync(string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default) =>
        inner.DeleteMessageBatchAsync(queueUrl, entries, cancellationToken);

    public Task ChangeMessageVisibilityAsync(string queueUrl, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) =>
        inner.ChangeMessageVisibilityAsync(queueUrl, receiptHandle, visibilityTimeout, cancellationToken);

    public Task<BatchResult> ChangeMessageVisibilityBatchAsync(string queueUrl, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken cancellationToken = default) =>
        inner.ChangeMessageVisibilityBatchAsync(queueUrl, entries, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken = default) =>
        inner.GetQueueAttributesAsync(queueUrl, attributeNames, cancellationToken);

    public Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken = default) => inner.GetQueueUrlAsync(queueName, cancellationToken);

    public Task<string> CreateQueueAsync(string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        inner.CreateQueueAsync(queueName, attributes, cancellationToken);

    public Task DeleteQueueAsync(string queueUrl, CancellationToken cancellationToken = default) => inner.DeleteQueueAsync(queueUrl, cancellationToken);

    public Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken = default) => inner.ListQueuesAsync(prefix, cancellationToken);
}
