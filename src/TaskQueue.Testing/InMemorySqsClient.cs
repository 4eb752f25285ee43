using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>
/// An SQS in process, behind <see cref="ISqsClient"/>: standard and FIFO queues with per-group ordering and locking,
/// visibility timeouts, receipt handles, 5-minute deduplication (explicit or content-based), queue delays, retention,
/// long polling, redrive to a dead-letter queue after <c>maxReceiveCount</c>, and the batch and size limits of SQS,
/// reported with SQS's error codes. Thread-safe; all time comes from a <see cref="TimeProvider"/>, so tests can drive
/// timeouts, delays and long polls with a fake clock instead of waiting.
/// </summary>
/// <remarks>
/// <para>Queue URLs look like <c>http://in-memory-sqs/000000000000/{name}</c> and ARNs like
/// <c>arn:aws:sqs:us-east-1:000000000000:{name}</c>.</para>
/// <para>Where SQS behaviour varies, this client does what AWS does: one FIFO receive may return several messages of one
/// group, in order (<see cref="InMemorySqsOptions.FifoReceiveMode"/> limits it to one, as some emulators do); a stale receipt handle (the message was received again since) fails with
/// <c>ReceiptHandleIsInvalid</c> for deletes and visibility changes alike; a FIFO receipt handle expires with its
/// visibility timeout; a message already received
/// <c>maxReceiveCount</c> times moves to the dead-letter queue on its next receive instead of being delivered.</para>
/// <para>Time spans are whole seconds on SQS; like <c>AwsSqsClient</c>, fractions are rounded up. A receive always uses
/// its own <see cref="ReceiveOptions.WaitTime"/>: the queue's <c>ReceiveMessageWaitTimeSeconds</c> is kept and
/// reported only.</para>
/// </remarks>
public sealed class InMemorySqsClient : ISqsClient
{
    /// <summary>The account id in every URL and ARN, and the <c>SenderId</c> of every message.</summary>
    internal const string AccountId = "000000000000";

    // One lock for every queue: redrive touches two queues at once, and correctness beats throughput in a test double.
    private readonly object _gate = new();
    private readonly QueueRegistry _queues = new();
    private readonly IdGenerator _ids = new();
    private readonly TimeProvider _time;
    private readonly InMemorySqsOptions _options;

    /// <summary>Creates an empty in-memory SQS.</summary>
    /// <param name="timeProvider">The clock of visibility timeouts, delays, deduplication, retention and long polls; the system clock when null.</param>
    /// <param name="options">Where servers differ, which behaviour to copy; AWS's when null.</param>
    public InMemorySqsClient(TimeProvider? timeProvider = null, InMemorySqsOptions? options = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _options = options ?? new InMemorySqsOptions();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Rejects the whole batch (<see cref="SqsRequestException"/>) when it is empty, has more than 10 entries, or repeats
    /// or misspells an entry id, and with <see cref="MessageTooLargeException"/> when the entries total more than 1 MiB.
    /// Rejects single entries (in <see cref="SendBatchResult.Failed"/>, sender's fault) for a missing FIFO group or
    /// deduplication id, an invalid id, more than 10 attributes, or a message over the queue's <c>MaximumMessageSize</c>
    /// (body plus each attribute's name, data type and value, in UTF-8). A FIFO duplicate within 5 minutes succeeds with
    /// the original message id and is not stored again.
    /// </remarks>
    public Task<SendBatchResult> SendMessageBatchAsync(
        string queueUrl, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        BatchRules.ValidateEntryIds(messages.Select(m => m.Id).ToList());
        var totalSize = messages.Sum(OutgoingMessageRules.SizeOf);
        if (totalSize > BatchRules.MaxBatchBytes)
        {
            throw new MessageTooLargeException(
                $"{SqsErrors.BatchRequestTooLong}: the batch totals {totalSize} bytes; SQS accepts at most {BatchRules.MaxBatchBytes} per batch: send fewer or smaller messages.");
        }

        lock (_gate)
        {
            var (queue, now) = Resolve(queueUrl);
            var successful = new List<SentMessage>();
            var failed = new List<BatchEntryFailure>();
            foreach (var message in messages)
            {
                if (OutgoingMessageRules.Check(message, queue.Configuration) is { } failure)
                {
                    failed.Add(failure);
                }
                else
                {
                    successful.Add(queue.Send(message, now));
                }
            }

            return Task.FromResult(new SendBatchResult(successful, failed));
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Returns at once when a message is available; otherwise waits, on the <see cref="TimeProvider"/>, until one becomes
    /// available (a send, a delete that unlocks a FIFO group, a visibility timeout or delay running out) or the wait
    /// elapses. Cancelling the token ends the wait with <see cref="OperationCanceledException"/>. Returns only the system
    /// attributes <see cref="ReceiveOptions.SystemAttributes"/> names and the message attributes
    /// <see cref="ReceiveOptions.MessageAttributes"/> names (exact names, <c>prefix.*</c> wildcards, <c>All</c> or <c>.*</c>). On a FIFO queue a receive repeated with the
    /// <see cref="ReceiveOptions.ReceiveRequestAttemptId"/> of one that returned messages within the last 5 minutes gets
    /// the same messages and receipt handles back, hidden again for the visibility timeout, while none of them was deleted,
    /// had its visibility changed or became visible again; otherwise it receives as usual.
    /// </remarks>
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(
        string queueUrl, ReceiveOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        RequestRules.ValidateReceive(options);
        var deadline = _time.GetUtcNow() + RequestRules.ToWholeSeconds(options.WaitTime);
        while (true)
        {
            Task changed;
            TimeSpan sleep;
            lock (_gate)
            {
                var (queue, now) = Resolve(queueUrl);
                var visibility = options.VisibilityTimeout is { } requested
                    ? RequestRules.ToWholeSeconds(requested)
                    : queue.Configuration.VisibilityTimeout;
                var received = queue.Receive(
                    options.MaxMessages, visibility, now, _options.FifoReceiveMode, _queues.FindByArn, options.ReceiveRequestAttemptId);
                if (received.Count > 0 || now >= deadline)
                {
                    return ReceivedAttributeFilter.Apply(received, options);
                }

                changed = queue.Changed;
                var wakeAt = queue.NextVisibilityChange(now) is { } next && next < deadline ? next : deadline;
                sleep = wakeAt - now;
            }

            await WaitForChangeAsync(changed, sleep, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Only the handle of the latest receive deletes; an older one fails with <c>ReceiptHandleIsInvalid</c>. On a FIFO
    /// queue the handle also expires with the visibility timeout, as on AWS: a delete after it fails with
    /// <c>InvalidParameterValue</c> ("The receipt handle has expired") and the message stays; on a standard queue the
    /// latest handle deletes at any time. Deleting again with the handle that deleted succeeds, as on SQS.
    /// </remarks>
    /// <exception cref="SqsRequestException">The handle is unknown or stale (<c>ReceiptHandleIsInvalid</c>) or expired (<c>InvalidParameterValue</c>).</exception>
    public Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        ArgumentNullException.ThrowIfNull(receiptHandle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var (queue, now) = Resolve(queueUrl);
            ThrowIfFailed(queue.Delete(receiptHandle, now));
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    /// <remarks>Batch rules as for sends; each entry fails or succeeds as <see cref="DeleteMessageAsync"/> would.</remarks>
    public Task<BatchResult> DeleteMessageBatchAsync(
        string queueUrl, IReadOnlyList<ReceiptEntry> entries, CancellationToken cancellationToken = default)
    {
        return ApplyBatch(queueUrl, entries, e => e.Id, (queue, now, e) => queue.Delete(e.ReceiptHandle, now), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Fails with <c>ReceiptHandleIsInvalid</c> for an unknown or stale handle, with
    /// <c>AWS.SimpleQueueService.MessageNotInflight</c> when the visibility timeout already expired, and with
    /// <c>InvalidParameterValue</c> for a timeout outside 0 to 12 hours or one reaching beyond 12 hours after the receive.
    /// </remarks>
    /// <exception cref="SqsRequestException">The change was rejected; <see cref="SqsRequestException.ErrorCode"/> says why.</exception>
    public Task ChangeMessageVisibilityAsync(
        string queueUrl, string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        ArgumentNullException.ThrowIfNull(receiptHandle);
        cancellationToken.ThrowIfCancellationRequested();
        if (RequestRules.VisibilityError(visibilityTimeout) is { } error)
        {
            throw SqsErrors.Request(error.Code, error.Message);
        }

        lock (_gate)
        {
            var (queue, now) = Resolve(queueUrl);
            ThrowIfFailed(queue.ChangeVisibility(receiptHandle, RequestRules.ToWholeSeconds(visibilityTimeout), now));
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    /// <remarks>Batch rules as for sends; each entry fails or succeeds as <see cref="ChangeMessageVisibilityAsync"/> would.</remarks>
    public Task<BatchResult> ChangeMessageVisibilityBatchAsync(
        string queueUrl, IReadOnlyList<VisibilityChangeEntry> entries, CancellationToken cancellationToken = default)
    {
        return ApplyBatch(queueUrl, entries, e => e.Id, (queue, now, e) =>
            RequestRules.VisibilityError(e.VisibilityTimeout) is { } error
                ? new EntryError(error.Code, error.Message)
                : queue.ChangeVisibility(e.ReceiptHandle, RequestRules.ToWholeSeconds(e.VisibilityTimeout), now), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Counts are exact at the moment of the call: <c>ApproximateNumberOfMessages</c> is visible now (FIFO group locks do
    /// not hide them), <c>ApproximateNumberOfMessagesNotVisible</c> in flight, <c>ApproximateNumberOfMessagesDelayed</c>
    /// delayed. Also reports the configured attributes, <c>QueueArn</c>, <c>CreatedTimestamp</c> and, on FIFO queues,
    /// <c>FifoQueue</c> and <c>ContentBasedDeduplication</c>.
    /// </remarks>
    /// <exception cref="SqsRequestException">An unknown attribute name (<c>InvalidAttributeName</c>).</exception>
    public Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(
        string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        ArgumentNullException.ThrowIfNull(attributeNames);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var (queue, now) = Resolve(queueUrl);
            return Task.FromResult<IReadOnlyDictionary<string, string>>(QueueAttributesReport.Build(queue, attributeNames, now));
        }
    }

    /// <inheritdoc />
    public Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_queues.GetByName(queueName).Url);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A FIFO queue needs both a name ending in <c>.fifo</c> and <c>FifoQueue=true</c>. A <c>RedrivePolicy</c> must name an
    /// existing queue of the same kind. Creating a queue that exists returns its URL when every attribute given matches,
    /// and fails with <c>QueueAlreadyExists</c> otherwise.
    /// </remarks>
    /// <exception cref="SqsRequestException">An invalid name, attribute or value, or a conflicting existing queue.</exception>
    public Task<string> CreateQueueAsync(
        string queueName, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        ArgumentNullException.ThrowIfNull(attributes);
        cancellationToken.ThrowIfCancellationRequested();
        var configuration = QueueConfiguration.Parse(queueName, attributes);
        lock (_gate)
        {
            if (_queues.TryGetByName(queueName, out var existing))
            {
                return existing.Configuration.FirstDifference(attributes, configuration) is { } different
                    ? throw SqsErrors.Request(
                        SqsErrors.QueueAlreadyExists,
                        $"Queue '{queueName}' already exists with a different value of {different}: use the existing attributes or another name.")
                    : Task.FromResult(existing.Url);
            }

            ValidateDeadLetterTarget(queueName, configuration);
            var queue = new InMemoryQueue(
                queueName, QueueRegistry.UrlOf(queueName), QueueRegistry.ArnOf(queueName), configuration, _time.GetUtcNow(), _ids);
            _queues.Add(queue);
            return Task.FromResult(queue.Url);
        }
    }

    /// <inheritdoc />
    /// <remarks>Long polls waiting on the queue end with <see cref="QueueDoesNotExistException"/>.</remarks>
    public Task DeleteQueueAsync(string queueUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var queue = _queues.GetByUrl(queueUrl);
            _queues.Remove(queue);
            queue.Signal();
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    /// <remarks>Returns every matching queue at once, ordered by name; the prefix is case-sensitive, as on SQS.</remarks>
    public Task<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(_queues.All
                .Where(q => string.IsNullOrEmpty(prefix) || q.Name.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(q => q.Name, StringComparer.Ordinal)
                .Select(q => q.Url)
                .ToList());
        }
    }

    /// <summary>The queue at <paramref name="queueUrl"/> with expired messages removed, and the time of the call.</summary>
    private (InMemoryQueue Queue, DateTimeOffset Now) Resolve(string queueUrl)
    {
        var queue = _queues.GetByUrl(queueUrl);
        var now = _time.GetUtcNow();
        queue.RemoveExpired(now);
        if (queue.Configuration.RedrivePolicy is { } policy)
        {
            _queues.FindByArn(policy.DeadLetterTargetArn)?.RemoveExpired(now);
        }

        return (queue, now);
    }

    private void ValidateDeadLetterTarget(string queueName, QueueConfiguration configuration)
    {
        if (configuration.RedrivePolicy is not { } policy)
        {
            return;
        }

        var target = _queues.FindByArn(policy.DeadLetterTargetArn);
        if (target is null || target.Configuration.IsFifo != configuration.IsFifo)
        {
            throw SqsErrors.Request(
                SqsErrors.InvalidParameterValue,
                target is null
                    ? $"RedrivePolicy of '{queueName}' names dead-letter queue {policy.DeadLetterTargetArn}, which does not exist: create it first."
                    : $"RedrivePolicy of '{queueName}' names {policy.DeadLetterTargetArn}: a FIFO queue needs a FIFO dead-letter queue and a standard queue a standard one.");
        }
    }

    private async Task WaitForChangeAsync(Task changed, TimeSpan sleep, CancellationToken cancellationToken)
    {
        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var elapsed = Task.Delay(sleep, _time, stopDelay.Token);
        await Task.WhenAny(changed, elapsed).ConfigureAwait(false);
        await stopDelay.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>A batch of deletes or visibility changes: the batch rules, then each entry applied to the queue under the lock.</summary>
    private Task<BatchResult> ApplyBatch<T>(
        string queueUrl, IReadOnlyList<T> entries, Func<T, string> idOf, Func<InMemoryQueue, DateTimeOffset, T, EntryError?> apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        BatchRules.ValidateEntryIds(entries.Select(idOf).ToList());
        lock (_gate)
        {
            var (queue, now) = Resolve(queueUrl);
            return Task.FromResult(Collect(entries, idOf, entry => apply(queue, now, entry)));
        }
    }

    private static BatchResult Collect<T>(IReadOnlyList<T> entries, Func<T, string> idOf, Func<T, EntryError?> apply)
    {
        var successful = new List<string>();
        var failed = new List<BatchEntryFailure>();
        foreach (var entry in entries)
        {
            if (apply(entry) is { } error)
            {
                failed.Add(new BatchEntryFailure(idOf(entry), error.Code, error.Message, SenderFault: true));
            }
            else
            {
                successful.Add(idOf(entry));
            }
        }

        return new BatchResult(successful, failed);
    }

    private static void ThrowIfFailed(EntryError? error)
    {
        if (error is { } failure)
        {
            throw SqsErrors.Request(failure.Code, failure.Message);
        }
    }
}
