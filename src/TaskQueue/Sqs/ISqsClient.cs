namespace TaskQueue.Sqs;

/// <summary>
/// The one seam between TaskQueue and an SQS-compatible service. Its signatures use the library's
/// own small records, never AWS SDK model types, so it is easy to mock, to fake in memory
/// (see the <c>TaskQueue.Testing</c> package) and to keep stable.
/// </summary>
/// <remarks>
/// Implementations translate the errors a caller must act on into <see cref="TaskQueueException"/>
/// subclasses: <see cref="SqsConfigurationException"/> for what no retry can fix (with its kinds
/// <see cref="QueueDoesNotExistException"/> and <see cref="QueueAccessDeniedException"/>),
/// <see cref="SqsThrottledException"/>, <see cref="MessageTooLargeException"/> and
/// <see cref="SqsRequestException"/> for everything else the service rejects.
/// </remarks>
public interface ISqsClient
{
    /// <summary>Sends up to 10 messages in one SendMessageBatch call.</summary>
    /// <param name="queueUrl">The queue to send to.</param>
    /// <param name="messages">One to ten entries, each with an <see cref="OutgoingMessage.Id"/> unique in the batch.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Per-entry outcome: SQS accepts some entries of a batch and rejects others.</returns>
    Task<SendBatchResult> SendMessageBatchAsync(
        string queueUrl, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Receives up to <see cref="ReceiveOptions.MaxMessages"/> messages, long-polling for up to <see cref="ReceiveOptions.WaitTime"/>.</summary>
    /// <param name="queueUrl">The queue to receive from.</param>
    /// <param name="options">Count, wait time and visibility timeout of the receive.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The messages received, with their system and message attributes; empty when none arrived in time.</returns>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(
        string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default);

    /// <summary>Deletes one message by its receipt handle.</summary>
    /// <param name="queueUrl">The queue that holds the message.</param>
    /// <param name="receiptHandle">The receipt handle of the receive that returned it.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when SQS has accepted the delete.</returns>
    Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to 10 messages in one DeleteMessageBatch call.</summary>
    /// <param name="queueUrl">The queue that holds the messages.</param>
    /// <param name="entries">One to ten entries with ids unique in the batch.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Which entries succeeded and which failed, with the reason.</returns>
    Task<BatchResult> DeleteMessageBatchAsync(
        string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Sets the visibility timeout of one received message, counted from now.</summary>
    /// <param name="queueUrl">The queue that holds the message.</param>
    /// <param name="receiptHandle">The receipt handle of the receive that returned it.</param>
    /// <param name="visibilityTimeout">0 (visible again at once) to 12 hours.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when SQS has accepted the change.</returns>
    Task ChangeMessageVisibilityAsync(
        string queueUrl, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Sets the visibility timeout of up to 10 received messages in one call.</summary>
    /// <param name="queueUrl">The queue that holds the messages.</param>
    /// <param name="entries">One to ten entries with ids unique in the batch.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Which entries succeeded and which failed, with the reason.</returns>
    Task<BatchResult> ChangeMessageVisibilityBatchAsync(
        string queueUrl, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads queue attributes such as <see cref="QueueAttributeNames.ApproximateNumberOfMessages"/>.</summary>
    /// <param name="queueUrl">The queue to describe.</param>
    /// <param name="attributeNames">Names from <see cref="QueueAttributeNames"/>, or <c>All</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The attributes the service returned, by name.</returns>
    Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(
        string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken = default);

    /// <summary>Resolves a queue name to its URL.</summary>
    /// <param name="queueName">The queue's name; FIFO queue names end in <c>.fifo</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The queue URL.</returns>
    /// <exception cref="QueueDoesNotExistException">No queue has that name.</exception>
    Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken = default);

    /// <summary>Creates a queue, or returns the URL of an existing one with the same attributes.</summary>
    /// <param name="queueName">The queue's name; FIFO queue names end in <c>.fifo</c>.</param>
    /// <param name="attributes">Queue attributes by <see cref="QueueAttributeNames"/> name, e.g. <c>FifoQueue</c>, <c>RedrivePolicy</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The queue URL.</returns>
    Task<string> CreateQueueAsync(
        string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default);

    /// <summary>Deletes a queue and every message in it.</summary>
    /// <param name="queueUrl">The queue to delete.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when SQS has accepted the delete.</returns>
    Task DeleteQueueAsync(string queueUrl, CancellationToken cancellationToken = default);

    /// <summary>Lists the URLs of the queues whose names start with <paramref name="prefix"/>, every page of them.</summary>
    /// <param name="prefix">A queue-name prefix (case-sensitive, as on SQS); null or empty lists every queue of the account and region.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The queue URLs, in the order the service returns them.</returns>
    /// <remarks>SQS returns at most 1,000 URLs a page; implementations follow <c>NextToken</c> until the last page.</remarks>
    Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken = default);
}
