using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.EndToEnd;

/// <summary>
/// An <see cref="ISqsClient"/> that passes every call on and counts the messages whose delete succeeded, so the
/// benchmark stops its clock when the last task is done: deleted, not just run. Written out by hand rather than as a
/// reflection proxy, whose cost per call would be billed to the library's figures.
/// </summary>
public sealed class DeleteObserver(ISqsClient inner, DoneCounter done) : ISqsClient
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public static ISqsClient Wrap(ISqsClient inner, DoneCounter done) => new DeleteObserver(inner, done);

    /// <inheritdoc />
    public async Task<BatchResult> DeleteMessageBatchAsync(string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default)
    {
        var result = await inner.DeleteMessageBatchAsync(queueUrl, entries, cancellationToken).ConfigureAwait(false);
        done.Add(result.SuccessfulIds.Count);
        return result;
    }

    /// <inheritdoc />
    public async Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default)
    {
        await inner.DeleteMessageAsync(queueUrl, receiptHandle, cancellationToken).ConfigureAwait(false);
        done.Add(1);
    }

    /// <inheritdoc />
    public Task<SendBatchResult> SendMessageBatchAsync(string queueUrl, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default) =>
        inner.SendMessageBatchAsync(queueUrl, messages, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default) =>
        inner.ReceiveMessagesAsync(queueUrl, options, cancellationToken);

    /// <inheritdoc />
    public Task ChangeMessageVisibilityAsync(string queueUrl, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) =>
        inner.ChangeMessageVisibilityAsync(queueUrl, receiptHandle, visibilityTimeout, cancellationToken);

    /// <inheritdoc />
    public Task<BatchResult> ChangeMessageVisibilityBatchAsync(string queueUrl, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken cancellationToken = default) =>
        inner.ChangeMessageVisibilityBatchAsync(queueUrl, entries, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken = default) =>
        inner.GetQueueAttributesAsync(queueUrl, attributeNames, cancellationToken);

    /// <inheritdoc />
    public Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken = default) => inner.GetQueueUrlAsync(queueName, cancellationToken);

    /// <inheritdoc />
    public Task<string> CreateQueueAsync(string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        inner.CreateQueueAsync(queueName, attributes, cancellationToken);

    /// <inheritdoc />
    public Task DeleteQueueAsync(string queueUrl, CancellationToken cancellationToken = default) => inner.DeleteQueueAsync(queueUrl, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken = default) => inner.ListQueuesAsync(prefix, cancellationToken);
}
