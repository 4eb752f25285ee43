using TaskQueue.Sqs;

namespace TaskQueue.Benchmarks.Micro;

/// <summary>
/// An <see cref="ISqsClient"/> that answers at once without I/O: sends and deletes all succeed, a receive returns
/// one prepared message. What the micro-benchmarks measure is then the library's own cost per task.
/// </summary>
public sealed class NoOpSqsClient(ReceivedMessage? prepared = null) : ISqsClient
{
    private static readonly Task<BatchResult> AllDeleted = Task.FromResult(new BatchResult(["0"], []));
    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>();
    private readonly Task<IReadOnlyList<ReceivedMessage>> _received = Task.FromResult<IReadOnlyList<ReceivedMessage>>(prepared is null ? [] : [prepared]);

    /// <inheritdoc />
    public Task<SendBatchResult> SendMessageBatchAsync(string queueUrl, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sent = new SentMessage[messages.Count];
        for (var i = 0; i < sent.Length; i++)
        {
            sent[i] = new SentMessage(messages[i].Id, "00000000-0000-0000-0000-000000000000");
        }

        return Task.FromResult(new SendBatchResult(sent, []));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default) => _received;

    /// <inheritdoc />
    public Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<BatchResult> DeleteMessageBatchAsync(string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.Count == 1 && entries[0].Id == "0"
            ? AllDeleted
            : Task.FromResult(new BatchResult([.. entries.Select(e => e.Id)], []));
    }

    /// <inheritdoc />
    public Task ChangeMessageVisibilityAsync(string queueUrl, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <inheritdoc />
    public Task<BatchResult> ChangeMessageVisibilityBatchAsync(string queueUrl, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Task.FromResult(new BatchResult([.. entries.Select(e => e.Id)], []));
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken = default) =>
        Task.FromResult(NoAttributes);

    /// <inheritdoc />
    public Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken = default) => Task.FromResult("http://127.0.0.1/000000000000/" + queueName);

    /// <inheritdoc />
    public Task<string> CreateQueueAsync(string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        GetQueueUrlAsync(queueName, cancellationToken);

    /// <inheritdoc />
    public Task DeleteQueueAsync(string queueUrl, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
