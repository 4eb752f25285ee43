using Amazon.SQS;
using Amazon.SQS.Model;

namespace TaskQueue.Sqs;

/// <summary>
/// <see cref="ISqsClient"/> over the AWS SDK's <see cref="IAmazonSQS"/>: real Amazon SQS, or any
/// SQS-compatible endpoint the SDK client points at (LocalStack, ElasticMQ, fauxqs).
/// </summary>
/// <remarks>
/// Receives ask for the system attributes <see cref="ReceiveOptions.SystemAttributes"/> names and the message attributes
/// <see cref="ReceiveOptions.MessageAttributes"/> names (every one when null): a message moved to another queue keeps the
/// attributes its receive brought.
/// Visibility timeouts and wait times are sent as whole seconds, rounded up, because SQS takes seconds.
/// Service and network errors become <see cref="TaskQueueException"/> subclasses; cancellation through the
/// caller's token surfaces as <see cref="OperationCanceledException"/>, unchanged.
/// </remarks>
public sealed class AwsSqsClient : ISqsClient
{
    private const int MaxQueuesPerPage = 1000;
    private static readonly List<string> All = ["All"];
    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>();

    private readonly IAmazonSQS _sqs;

    /// <summary>Creates the client over a configured SDK client, which the caller keeps owning and disposes.</summary>
    /// <param name="sqs">The SDK client: its region, credentials, endpoint and retry policy are used as they are.</param>
    public AwsSqsClient(IAmazonSQS sqs)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        _sqs = sqs;
    }

    /// <inheritdoc />
    public Task<SendBatchResult> SendMessageBatchAsync(
        string queueUrl, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        ArgumentNullException.ThrowIfNull(messages);
        var entries = new List<SendMessageBatchRequestEntry>(messages.Count);
        foreach (var message in messages)
        {
            entries.Add(ToEntry(message));
        }

        var request = new SendMessageBatchRequest { QueueUrl = queueUrl, Entries = entries };
        return CallAsync("SendMessageBatch", queueUrl, async () =>
        {
            var response = await _sqs.SendMessageBatchAsync(request, cancellationToken).ConfigureAwait(false);
            return new SendBatchResult(ToSentMessages(response.Successful), ToFailures(response.Failed));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(
        string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        ArgumentNullException.ThrowIfNull(options);
        var request = new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = options.MaxMessages,
            WaitTimeSeconds = WholeSeconds(options.WaitTime),
            VisibilityTimeout = options.VisibilityTimeout is { } visibility ? WholeSeconds(visibility) : null,
            MessageSystemAttributeNames = options.SystemAttributes is { } names ? [.. names] : All,
            MessageAttributeNames = options.MessageAttributes is { } attributes ? [.. attributes] : All,
            ReceiveRequestAttemptId = options.ReceiveRequestAttemptId,
        };
        return CallAsync<IReadOnlyList<ReceivedMessage>>("ReceiveMessage", queueUrl, async () =>
        {
            var response = await _sqs.ReceiveMessageAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Messages?.Select(ToReceivedMessage).ToList() ?? [];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        ArgumentException.ThrowIfNullOrEmpty(receiptHandle);
        var request = new DeleteMessageRequest { QueueUrl = queueUrl, ReceiptHandle = receiptHandle };
        return CallAsync("DeleteMessage", queueUrl, () => _sqs.DeleteMessageAsync(request, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<BatchResult> DeleteMessageBatchAsync(
        string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        ArgumentNullException.ThrowIfNull(entries);
        var request = new DeleteMessageBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = entries.Select(e => new DeleteMessageBatchRequestEntry { Id = e.Id, ReceiptHandle = e.ReceiptHandle }).ToList(),
        };
        return CallAsync("DeleteMessageBatch", queueUrl, async () =>
        {
            var response = await _sqs.DeleteMessageBatchAsync(request, cancellationToken).ConfigureAwait(false);
            return new BatchResult(response.Successful?.Select(s => s.Id).ToList() ?? [], ToFailures(response.Failed));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ChangeMessageVisibilityAsync(
        string queueUrl, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        ArgumentException.ThrowIfNullOrEmpty(receiptHandle);
        var request = new ChangeMessageVisibilityRequest
        {
            QueueUrl = queueUrl,
            ReceiptHandle = receiptHandle,
            VisibilityTimeout = WholeSeconds(visibilityTimeout),
        };
        return CallAsync(
            "ChangeMessageVisibility", queueUrl, () => _sqs.ChangeMessageVisibilityAsync(request, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<BatchResult> ChangeMessageVisibilityBatchAsync(
        string queueUrl, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        ArgumentNullException.ThrowIfNull(entries);
        var request = new ChangeMessageVisibilityBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = entries.Select(e => new ChangeMessageVisibilityBatchRequestEntry
            {
                Id = e.Id,
                ReceiptHandle = e.ReceiptHandle,
                VisibilityTimeout = WholeSeconds(e.VisibilityTimeout),
            }).ToList(),
        };
        return CallAsync("ChangeMessageVisibilityBatch", queueUrl, async () =>
        {
            var response = await _sqs.ChangeMessageVisibilityBatchAsync(request, cancellationToken).ConfigureAwait(false);
            return new BatchResult(response.Successful?.Select(s => s.Id).ToList() ?? [], ToFailures(response.Failed));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(
        string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        ArgumentNullException.ThrowIfNull(attributeNames);
        var request = new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = [.. attributeNames] };
        return CallAsync<IReadOnlyDictionary<string, string>>("GetQueueAttributes", queueUrl, async () =>
        {
            var response = await _sqs.GetQueueAttributesAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Attributes ?? NoAttributes;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        var request = new GetQueueUrlRequest { QueueName = queueName };
        return CallAsync("GetQueueUrl", queueName, async () =>
        {
            var response = await _sqs.GetQueueUrlAsync(request, cancellationToken).ConfigureAwait(false);
            return response.QueueUrl;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> CreateQueueAsync(
        string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentNullException.ThrowIfNull(attributes);
        var request = new CreateQueueRequest
        {
            QueueName = queueName,
            Attributes = attributes.Count == 0 ? null : attributes.ToDictionary(),
        };
        return CallAsync("CreateQueue", queueName, async () =>
        {
            var response = await _sqs.CreateQueueAsync(request, cancellationToken).ConfigureAwait(false);
            return response.QueueUrl;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteQueueAsync(string queueUrl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueUrl);
        var request = new DeleteQueueRequest { QueueUrl = queueUrl };
        return CallAsync("DeleteQueue", queueUrl, () => _sqs.DeleteQueueAsync(request, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken = default)
    {
        return CallAsync<IReadOnlyList<string>>("ListQueues", prefix ?? "(all)", async () =>
        {
            var urls = new List<string>();
            string? nextToken = null;
            do
            {
                // MaxResults is what makes SQS page with NextToken instead of stopping at 1,000 URLs.
                var request = new ListQueuesRequest
                {
                    QueueNamePrefix = string.IsNullOrEmpty(prefix) ? null : prefix,
                    MaxResults = MaxQueuesPerPage,
                    NextToken = nextToken,
                };
                var response = await _sqs.ListQueuesAsync(request, cancellationToken).ConfigureAwait(false);
                urls.AddRange(response.QueueUrls ?? []);
                nextToken = response.NextToken;
            }
            while (!string.IsNullOrEmpty(nextToken));

            return urls;
        }, cancellationToken);
    }

    private static async Task<T> CallAsync<T>(string action, string queue, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        SqsTelemetry.Requests.Add(1, new KeyValuePair<string, object?>("aws.sqs.action", action));
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception error) when (!(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw SqsErrorTranslator.Translate(error, action, queue);
        }
    }

    /// <summary>The SDK's entry for a message.</summary>
    /// <param name="message">The message.</param>
    private static SendMessageBatchRequestEntry ToEntry(OutgoingMessage message) => new()
    {
        Id = message.Id,
        MessageBody = message.Body,
        MessageGroupId = message.MessageGroupId,
        MessageDeduplicationId = message.MessageDeduplicationId,
        MessageAttributes = message.Attributes is { Count: > 0 } attributes ? ToAttributeValues(attributes) : null,
    };

    private static Dictionary<string, MessageAttributeValue> ToAttributeValues(IReadOnlyDictionary<string, string> attributes)
    {
        var values = new Dictionary<string, MessageAttributeValue>(attributes.Count);
        foreach (var (name, text) in attributes)
        {
            values[name] = new MessageAttributeValue { DataType = MessageAttributeTypes.Of(name), StringValue = text };
        }

        return values;
    }

    private static SentMessage[] ToSentMessages(List<SendMessageBatchResultEntry>? successful)
    {
        if (successful is null)
        {
            return [];
        }

        var sent = new SentMessage[successful.Count];
        for (var i = 0; i < sent.Length; i++)
        {
            sent[i] = new SentMessage(successful[i].Id, successful[i].MessageId, successful[i].SequenceNumber);
        }

        return sent;
    }

    private static ReceivedMessage ToReceivedMessage(Message message) => new(
        message.MessageId,
        message.ReceiptHandle,
        message.Body ?? string.Empty,
        TextAttributes(message.MessageAttributes),
        message.Attributes ?? NoAttributes);

    /// <summary>The attributes whose value is text: Number and custom String.* / Number.* ones carry theirs as text too; Binary ones are skipped.</summary>
    private static IReadOnlyDictionary<string, string> TextAttributes(Dictionary<string, MessageAttributeValue>? attributes)
    {
        if (attributes is not { Count: > 0 })
        {
            return NoAttributes;
        }

        var text = new Dictionary<string, string>(attributes.Count, StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            if (value.StringValue is { } stringValue)
            {
                text[name] = stringValue;
            }
        }

        return text;
    }

    private static List<BatchEntryFailure> ToFailures(List<BatchResultErrorEntry>? failed) =>
        failed?.Select(f => new BatchEntryFailure(f.Id, f.Code, f.Message, f.SenderFault ?? false)).ToList() ?? [];

    private static int WholeSeconds(TimeSpan time) => (int)Math.Ceiling(Math.Max(0, time.TotalSeconds));
}
