using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>
/// One queue's messages and their delivery state. Not thread-safe: <see cref="InMemorySqsClient"/> calls it under its lock.
/// </summary>
internal sealed class InMemoryQueue
{
    /// <summary>SQS never lets a message stay hidden longer than 12 hours after the receive that hid it.</summary>
    private static readonly TimeSpan MaxVisibility = TimeSpan.FromHours(12);

    private readonly List<StoredMessage> _messages = [];
    private readonly ReceiptHandleTable _receiptHandles = new();
    private readonly DeduplicationWindow _deduplication = new();
    private readonly ReceiveAttemptLog _receiveAttempts = new();
    private readonly IdGenerator _ids;
    private long _lastSequenceNumber;
    private TaskCompletionSource _changed = NewSignal();

    public InMemoryQueue(string name, string url, string arn, QueueConfiguration configuration, DateTimeOffset createdAt, IdGenerator ids)
    {
        Name = name;
        Url = url;
        Arn = arn;
        Configuration = configuration;
        CreatedAt = createdAt;
        _ids = ids;
    }

    public string Name { get; }

    public string Url { get; }

    public string Arn { get; }

    public QueueConfiguration Configuration { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>Completes at the next change that may make a message receivable (a send, a delete, a visibility change).</summary>
    public Task Changed => _changed.Task;

    /// <summary>Stores a validated message, or reports the original of a FIFO duplicate sent within 5 minutes.</summary>
    public SentMessage Send(OutgoingMessage message, DateTimeOffset now)
    {
        var deduplicationId = Configuration.IsFifo ? message.MessageDeduplicationId ?? ContentHash(message.Body) : null;
        var deduplicationKey = deduplicationId is not null && Configuration.DeduplicatesPerGroup
            ? DeduplicationWindow.GroupKey(message.MessageGroupId!, deduplicationId)
            : deduplicationId;
        if (deduplicationKey is not null && _deduplication.TryGetOriginal(deduplicationKey, now, out var original))
        {
            return original with { Id = message.Id };
        }

        var sequenceNumber = ++_lastSequenceNumber;
        var stored = new StoredMessage(
            _ids.NextMessageId(),
            message.Body,
            new Dictionary<string, string>(message.Attributes ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            message.MessageGroupId,
            deduplicationId,
            sequenceNumber,
            sentAt: now,
            enqueuedAt: now,
            visibleAt: now + Configuration.Delay);
        _messages.Add(stored);

        var sent = new SentMessage(message.Id, stored.MessageId, Configuration.IsFifo ? FormatSequenceNumber(sequenceNumber) : null);
        if (deduplicationKey is not null)
        {
            _deduplication.Remember(deduplicationKey, sent, now);
        }

        Signal();
        return sent;
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> messages. On a FIFO queue groups are served oldest first, a group
    /// with a message in flight yields nothing, and several messages of one group may come back, in order, unless
    /// <paramref name="fifoReceiveMode"/> allows one. A message already received <c>maxReceiveCount</c> times moves to
    /// the dead-letter queue instead of being delivered.
    /// </summary>
    public List<ReceivedMessage> Receive(
        int maxMessages,
        TimeSpan visibilityTimeout,
        DateTimeOffset now,
        FifoReceiveMode fifoReceiveMode,
        Func<string, InMemoryQueue?> findQueueByArn,
        string? attemptId = null)
    {
        if (!Configuration.IsFifo || attemptId is null)
        {
            return ReceiveNew(maxMessages, visibilityTimeout, now, fifoReceiveMode, findQueueByArn).Select(d => d.Received).ToList();
        }

        if (_receiveAttempts.TryRepeat(attemptId, visibilityTimeout, now, _receiptHandles) is { } repeated)
        {
            Signal();
            return repeated.Select(d => ToReceivedMessage(d.Message, d.ReceiptHandle)).ToList();
        }

        var deliveries = ReceiveNew(maxMessages, visibilityTimeout, now, fifoReceiveMode, findQueueByArn);
        if (deliveries.Count > 0)
        {
            _receiveAttempts.Remember(attemptId, deliveries.Select(d => (d.Message, d.Received.ReceiptHandle)), now);
        }

        return deliveries.Select(d => d.Received).ToList();
    }

    private List<(StoredMessage Message, ReceivedMessage Received)> ReceiveNew(
        int maxMessages, TimeSpan visibilityTimeout, DateTimeOffset now, FifoReceiveMode fifoReceiveMode, Func<string, InMemoryQueue?> findQueueByArn)
    {
        var received = new List<(StoredMessage Message, ReceivedMessage Received)>();
        foreach (var run in DeliveryRuns(now))
        {
            foreach (var message in run)
            {
                if (received.Count == maxMessages)
                {
                    return received;
                }

                if (!message.IsAvailable(now))
                {
                    // A FIFO group is delivered strictly in order: nothing behind a delayed message may overtake it.
                    if (Configuration.IsFifo)
                    {
                        break;
                    }

                    continue;
                }

                if (TryMoveToDeadLetterQueue(message, now, findQueueByArn))
                {
                    continue;
                }

                var receiptHandle = _ids.NextReceiptHandle(Name, message.MessageId);
                message.MarkReceived(now, visibilityTimeout, receiptHandle);
                _receiptHandles.Issue(receiptHandle, message);
                received.Add((message, ToReceivedMessage(message, receiptHandle)));
                if (Configuration.IsFifo && fifoReceiveMode == FifoReceiveMode.OnePerGroup)
                {
                    break;
                }
            }
        }

        return received;
    }

    /// <summary>
    /// Deletes the message the handle names; null on success, else why SQS rejects it. On a FIFO queue the handle
    /// expires with the visibility timeout, as on AWS; on a standard queue the latest handle deletes at any time.
    /// </summary>
    public EntryError? Delete(string receiptHandle, DateTimeOffset now)
    {
        if (!_receiptHandles.TryGetMessage(receiptHandle, out var message))
        {
            return _receiptHandles.WasDeleted(receiptHandle) ? null : InvalidHandle(receiptHandle);
        }

        if (!string.Equals(message.LatestReceiptHandle, receiptHandle, StringComparison.Ordinal))
        {
            return StaleHandle(receiptHandle);
        }

        if (Configuration.IsFifo && !message.IsInFlight(now))
        {
            return new EntryError(
                SqsErrors.InvalidParameterValue,
                $"Value {receiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired (its visibility timeout ran out); receive the message again.");
        }

        _messages.Remove(message);
        _receiptHandles.Forget(message, rememberUntil: message.EnqueuedAt + Configuration.RetentionPeriod);
        Signal();
        return null;
    }

    /// <summary>Hides an in-flight message for <paramref name="visibilityTimeout"/> from now; null on success, else why SQS rejects it.</summary>
    public EntryError? ChangeVisibility(string receiptHandle, TimeSpan visibilityTimeout, DateTimeOffset now)
    {
        if (!_receiptHandles.TryGetMessage(receiptHandle, out var message))
        {
            return InvalidHandle(receiptHandle);
        }

        if (!string.Equals(message.LatestReceiptHandle, receiptHandle, StringComparison.Ordinal))
        {
            return StaleHandle(receiptHandle);
        }

        if (!message.IsInFlight(now))
        {
            return new EntryError(
                SqsErrors.MessageNotInflight,
                $"Message {message.MessageId} is not in flight: its visibility timeout already expired.");
        }

        if (now + visibilityTimeout > message.LastReceivedAt + MaxVisibility)
        {
            return new EntryError(
                SqsErrors.InvalidParameterValue,
                "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]: a message stays hidden at most 12 hours after its receive.");
        }

        message.VisibleAt = now + visibilityTimeout;
        Signal();
        return null;
    }

    /// <summary>Takes in a message a source queue redrove here.</summary>
    public void AcceptDeadLetter(StoredMessage message, DateTimeOffset now)
    {
        // SQS restarts the retention clock of a message moved to a FIFO dead-letter queue, not of a standard one.
        var enqueuedAt = Configuration.IsFifo ? now : message.EnqueuedAt;
        _messages.Add(message.CopyForDeadLetterQueue(++_lastSequenceNumber, enqueuedAt));
        Signal();
    }

    /// <summary>Messages available now, in flight, and delayed.</summary>
    public (int Available, int InFlight, int Delayed) Count(DateTimeOffset now) =>
        (_messages.Count(m => m.IsAvailable(now)), _messages.Count(m => m.IsInFlight(now)), _messages.Count(m => m.IsDelayed(now)));

    /// <summary>The next moment a delayed or in-flight message becomes visible, when there is one.</summary>
    public DateTimeOffset? NextVisibilityChange(DateTimeOffset now) =>
        _messages.Where(m => m.VisibleAt > now).Select(m => (DateTimeOffset?)m.VisibleAt).Min();

    /// <summary>Drops messages older than the retention period, and deduplication ids and handles past their time.</summary>
    public void RemoveExpired(DateTimeOffset now)
    {
        var expired = _messages.Where(m => m.EnqueuedAt + Configuration.RetentionPeriod <= now).ToList();
        foreach (var message in expired)
        {
            _messages.Remove(message);
            _receiptHandles.Forget(message);
        }

        _deduplication.ForgetExpired(now);
        _receiptHandles.ForgetExpired(now);
        _receiveAttempts.ForgetExpired(now);
    }

    /// <summary>Wakes every long poll waiting on this queue, e.g. when the queue is deleted.</summary>
    public void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    /// <summary>
    /// The messages a receive may consider, as runs taken in order: on a FIFO queue one run per group whose
    /// messages are all out of flight, oldest group first; on a standard queue one run of every message.
    /// </summary>
    private List<List<StoredMessage>> DeliveryRuns(DateTimeOffset now)
    {
        if (!Configuration.IsFifo)
        {
            return [[.. _messages]];
        }

        return _messages
            .GroupBy(m => m.MessageGroupId, StringComparer.Ordinal)
            .Where(group => !group.Any(m => m.IsInFlight(now)))
            .Select(group => group.ToList())
            .ToList();
    }

    private bool TryMoveToDeadLetterQueue(StoredMessage message, DateTimeOffset now, Func<string, InMemoryQueue?> findQueueByArn)
    {
        var policy = Configuration.RedrivePolicy;
        if (policy is null || message.ReceiveCount < policy.MaxReceiveCount)
        {
            return false;
        }

        // SQS keeps delivering from the source queue when the dead-letter queue has gone.
        var deadLetterQueue = findQueueByArn(policy.DeadLetterTargetArn);
        if (deadLetterQueue is null)
        {
            return false;
        }

        _messages.Remove(message);
        _receiptHandles.Forget(message);
        deadLetterQueue.AcceptDeadLetter(message, now);
        return true;
    }

    private ReceivedMessage ToReceivedMessage(StoredMessage message, string receiptHandle)
    {
        var system = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SystemAttributeNames.ApproximateReceiveCount] = message.ReceiveCount.ToString(CultureInfo.InvariantCulture),
            [SystemAttributeNames.SentTimestamp] = UnixMilliseconds(message.SentAt),
            [SystemAttributeNames.ApproximateFirstReceiveTimestamp] = UnixMilliseconds(message.FirstReceivedAt ?? message.SentAt),
            ["SenderId"] = InMemorySqsClient.AccountId,
        };
        if (message.MessageGroupId is not null)
        {
            system[SystemAttributeNames.MessageGroupId] = message.MessageGroupId;
        }

        if (Configuration.IsFifo)
        {
            system[SystemAttributeNames.MessageDeduplicationId] = message.MessageDeduplicationId!;
            system[SystemAttributeNames.SequenceNumber] = FormatSequenceNumber(message.SequenceNumber);
        }

        return new ReceivedMessage(
            message.MessageId, receiptHandle, message.Body, new Dictionary<string, string>(message.Attributes, StringComparer.Ordinal), system);
    }

    private static EntryError InvalidHandle(string receiptHandle) =>
        new(SqsErrors.ReceiptHandleIsInvalid, $"The receipt handle '{receiptHandle}' is not valid for this queue.");

    private static EntryError StaleHandle(string receiptHandle) =>
        new(SqsErrors.ReceiptHandleIsInvalid, $"The receipt handle '{receiptHandle}' is stale: the message was received again since; use the latest handle.");

    private static string ContentHash(string body) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body))).ToLowerInvariant();

    private static string FormatSequenceNumber(long sequenceNumber) =>
        sequenceNumber.ToString("D20", CultureInfo.InvariantCulture);

    private static string UnixMilliseconds(DateTimeOffset time) =>
        time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
