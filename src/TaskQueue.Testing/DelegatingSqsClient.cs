using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>
/// An <see cref="ISqsClient"/> that passes every call to another one: derive from it and override only the calls a test
/// watches or changes (count deletes, fail receives for a while, record what a receive asked for), as
/// <c>DelegatingHandler</c> does for <c>HttpClient</c>.
/// </summary>
/// <param name="inner">The client every call goes to.</param>
public abstract class DelegatingSqsClient(ISqsClient inner) : ISqsClient
{
    /// <summary>The client every call goes to.</summary>
    protected ISqsClient Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public virtual Task<SendBatchResult> SendMessageBatchAsync(string queueUrl, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default) =>
        Inner.SendMessageBatchAsync(queueUrl, messages, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default) =>
        Inner.ReceiveMessagesAsync(queueUrl, options, cancellationToken);

    /// <inheritdoc />
    public virtual Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default) =>
        Inner.DeleteMessageAsync(queueUrl, receiptHandle, cancellationToken);

    /// <inheritdoc />
    public virtual Task<BatchResult> DeleteMessageBatchAsync(string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default) =>
        Inner.DeleteMessageBatchAsync(queueUrl, entries, cancellationToken);

    /// <inheritdoc />
    public virtual Task ChangeMessageVisibilityAsync(string queueUrl, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) =>
        Inner.ChangeMessageVisibilityAsync(queueUrl, receiptHandle, visibilityTimeout, cancellationToken);

    /// <inheritdoc />
    public virtual Task<BatchResult> ChangeMessageVisibilityBatchAsync(string queueUrl, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken cancellationToken = default) =>
        Inner.ChangeMessageVisibilityBatchAsync(queueUrl, entries, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken = default) =>
        Inner.GetQueueAttributesAsync(queueUrl, attributeNames, cancellationToken);

    /// <inheritdoc />
    public virtual Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken = default) =>
        Inner.GetQueueUrlAsync(queueName, cancellationToken);

    /// <inheritdoc />
    public virtual Task<string> CreateQueueAsync(string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        Inner.CreateQueueAsync(queueName, attributes, cancellationToken);

    /// <inheritdoc />
    public virtual Task DeleteQueueAsync(string queueUrl, CancellationToken cancellationToken = default) => Inner.DeleteQueueAsync(queueUrl, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken = default) =>
        Inner.ListQueuesAsync(prefix, cancellationToken);
}
