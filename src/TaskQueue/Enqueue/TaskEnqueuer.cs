using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Sends the tasks of one entity: checks them before any request, packs them into batch calls,
/// resends the entries SQS reports as failed a bounded number of times and reports the rest per task.
/// </summary>
/// <remarks>
/// With an entity ledger, the batch is recorded before the first send: a worker may finish a task before this call
/// returns, and a batch whose sends fail stays open with those tasks pending, which is what happened.
/// </remarks>
/// <remarks>
/// A task whose message would be over the large-payload threshold has its body stored first (after the ledger write, so
/// a batch whose stores fail stays open too) and is sent as a pointer; a store that fails is reported for that task.
/// </remarks>
internal sealed class TaskEnqueuer(
    ISqsClient sqs, TaskQueueOptions options, TimeProvider timeProvider, ILogger logger, IEntityLedger? ledger = null, PayloadOffloader? offloader = null)
{
    // Up to this many tasks, their names are checked for repeats without a set.
    private const int FewTasks = 16;

    private readonly PayloadOffloader _offloader = offloader ?? PayloadOffloader.None;

    public async Task<EnqueueResult> EnqueueAsync(
        string entityId, IEnumerable<TaskSpec> tasks, object? metadata, JsonTypeInfo? metadataTypeInfo, string? idempotencyKey, CancellationToken cancellationToken)
    {
        Activity?[]? spans = null;
        try
        {
            var deduplication = DeduplicationIds.ForCall(options.DeduplicationMode, idempotencyKey);
            var enqueuedAt = timeProvider.GetUtcNow();
            var taskList = CheckTasks(entityId, tasks);
            var batchId = deduplication.BatchIdFor(entityId, taskList);

            // With nobody listening every producer span would be null: no array to hold them.
            spans = TaskQueueInstruments.Source.HasListeners() ? new Activity?[taskList.Count] : null;
            var messages = BuildMessages(entityId, taskList, metadata, metadataTypeInfo, deduplication, batchId, enqueuedAt, spans, out var stored);
            if (ledger is not null)
            {
                await ledger.OpenBatchAsync(entityId, batchId, taskList.ConvertAll(t => t.TaskName), enqueuedAt, cancellationToken).ConfigureAwait(false);
            }

            var errors = new (string Code, string Message)?[messages.Length];
            if (stored is not null)
            {
                await StoreBodiesAsync(stored, errors, cancellationToken).ConfigureAwait(false);
            }

            var result = await SendAllAsync(entityId, batchId, messages, errors, deduplication.SharedBeyondCall, cancellationToken).ConfigureAwait(false);
            EndSpans(spans, result);
            return result;
        }
        finally
        {
            foreach (var span in spans ?? [])
            {
                span?.Dispose();
            }
        }
    }

    /// <summary>Stores the bodies that go through the payload store; a task whose body could not be stored is not sent.</summary>
    private async Task StoreBodiesAsync(Dictionary<int, (PayloadReference Reference, byte[] Body)> stored, (string Code, string Message)?[] errors, CancellationToken cancellationToken)
    {
        foreach (var (index, (reference, body)) in stored)
        {
            try
            {
                await _offloader.StoreAsync(reference, body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                errors[index] = ("PayloadNotStored", $"its body could not be stored as {reference}: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private async Task<EnqueueResult> SendAllAsync(
        string entityId,
        string batchId,
        (OutgoingMessage Message, int Size)[] messages,
        (string Code, string Message)?[] errors,
        bool deduplicatedBeyondCall,
        CancellationToken cancellationToken)
    {
        var messageIds = new string?[messages.Length];

        // A task whose body could not be stored already has its error, and is not sent.
        var pending = new List<int>(messages.Length);
        for (var i = 0; i < messages.Length; i++)
        {
            if (errors[i] is null)
            {
                pending.Add(i);
            }
        }

        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            if (attempt > 0)
            {
                Log.ResendingFailedEntries(logger, pending.Count, entityId, attempt);
                var delay = options.SendRetryDelay * Math.Pow(2, attempt - 1);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var retryable = await SendAsync(messages, pending, messageIds, errors, cancellationToken).ConfigureAwait(false);
            pending = attempt < options.SendRetryAttempts ? retryable : [];
        }

        var outcomes = new TaskEnqueueOutcome[messages.Length];
        var succeeded = 0;
        for (var i = 0; i < messages.Length; i++)
        {
            var message = messages[i].Message;
            var taskName = message.Attributes![WireFormat.TaskName];
            outcomes[i] = new TaskEnqueueOutcome(
                taskName, message.MessageGroupId!, message.MessageDeduplicationId!, messageIds[i], errors[i]?.Code, errors[i]?.Message)
            {
                MayHaveBeenDeduplicated = deduplicatedBeyondCall,
            };
            if (messageIds[i] is null)
            {
                Log.TaskNotEnqueued(logger, entityId, taskName, errors[i]?.Code, errors[i]?.Message);
            }
            else
            {
                succeeded++;
            }
        }

        Log.TasksEnqueued(logger, entityId, succeeded, outcomes.Length);
        return new EnqueueResult(entityId, outcomes) { BatchId = batchId };
    }

    /// <summary>Records each task's message id or failure on its producer span, and counts what was sent.</summary>
    private static void EndSpans(Activity?[]? spans, EnqueueResult result)
    {
        for (var i = 0; i < result.Tasks.Count; i++)
        {
            var outcome = result.Tasks[i];
            if (outcome.Succeeded)
            {
                TaskQueueInstruments.TasksEnqueued.Add(1, MessagingSpans.TaskTags(outcome.TaskName));
                spans?[i]?.SetTag("messaging.message.id", outcome.MessageId);
            }
            else
            {
                spans?[i]?.SetStatus(ActivityStatusCode.Error, $"{outcome.ErrorCode}: {outcome.ErrorMessage}");
            }
        }
    }

    /// <summary>Sends the pending messages in batch calls; records successes and final failures.</summary>
    /// <returns>The indexes worth sending again.</returns>
    private async Task<List<int>> SendAsync(
        (OutgoingMessage Message, int Size)[] messages,
        List<int> pending,
        string?[] messageIds,
        (string Code, string Message)?[] errors,
        CancellationToken cancellationToken)
    {
        var retryable = new List<int>();
        for (var next = 0; next < pending.Count;)
        {
            // A new array per call: a client may keep the list it was given.
            var entries = new OutgoingMessage[BatchPlanner.NextBatchLength(CollectionsMarshal.AsSpan(pending)[next..], messages)];
            for (var j = 0; j < entries.Length; j++)
            {
                entries[j] = messages[pending[next++]].Message;
            }

            SendBatchResult result;
            try
            {
                result = await sqs.SendMessageBatchAsync(options.QueueUrl, entries, cancellationToken).ConfigureAwait(false);
            }
            // A configuration error fails every task of every call alike: it is thrown, not reported per task where it could go unread.
            catch (TaskQueueException ex) when (ex is not SqsConfigurationException)
            {
                foreach (var entry in entries)
                {
                    var index = BatchEntryIds.PositionOf(entry.Id);
                    errors[index] = (ex.GetType().Name, ex.Message);
                    if (ex.IsTransient)
                    {
                        retryable.Add(index);
                    }
                }

                continue;
            }

            for (var j = 0; j < result.Successful.Count; j++)
            {
                var sent = result.Successful[j];
                var index = BatchEntryIds.PositionOf(sent.Id);
                messageIds[index] = sent.MessageId;
                errors[index] = null;
            }

            for (var j = 0; j < result.Failed.Count; j++)
            {
                var failure = result.Failed[j];
                var index = BatchEntryIds.PositionOf(failure.Id);
                errors[index] = (failure.Code, failure.Message ?? failure.Code);
                if (!failure.SenderFault)
                {
                    retryable.Add(index);
                }
            }
        }

        return retryable;
    }

    /// <summary>Checks the entity id and the task list, before any request.</summary>
    private static List<TaskSpec> CheckTasks(string entityId, IEnumerable<TaskSpec> tasks)
    {
        if (string.IsNullOrWhiteSpace(entityId))
        {
            throw new ArgumentException("entityId must not be empty: it names the entity the tasks belong to.", nameof(entityId));
        }

        UnicodeText.ThrowIfLoneSurrogate(entityId, "entityId", nameof(entityId));
        ArgumentNullException.ThrowIfNull(tasks);
        var taskList = tasks.ToList();
        if (taskList.Count == 0)
        {
            throw new ArgumentException($"No tasks to enqueue for entity '{entityId}': pass at least one task.", nameof(tasks));
        }

        // A few names are compared with each other, which costs less than building a set of them.
        var seen = taskList.Count > FewTasks ? new HashSet<string>(taskList.Count, StringComparer.Ordinal) : null;
        for (var i = 0; i < taskList.Count; i++)
        {
            var task = taskList[i] ?? throw new ArgumentException($"Task {i} of entity '{entityId}' is null.", nameof(tasks));
            if (string.IsNullOrWhiteSpace(task.TaskName))
            {
                throw new ArgumentException($"Task {i} of entity '{entityId}' has an empty task name.", nameof(tasks));
            }

            if (UnicodeText.IndexOfLoneSurrogate(task.TaskName) is var at and >= 0)
            {
                throw new ArgumentException(
                    UnicodeText.LoneSurrogateMessage($"The task name of task {i} of entity '{entityId}'", task.TaskName[at], at), nameof(tasks));
            }

            if (seen is null ? NamedEarlier(taskList, i) : !seen.Add(task.TaskName))
            {
                throw new ArgumentException($"Task '{task.TaskName}' appears twice for entity '{entityId}': task names must be unique in one enqueue.", nameof(tasks));
            }
        }

        return taskList;
    }

    private static bool NamedEarlier(List<TaskSpec> tasks, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (string.Equals(tasks[i].TaskName, tasks[index].TaskName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Builds one message per checked task, before any request; a config or metadata that cannot be sent throws.</summary>
    /// <remarks>
    /// Each task's producer span starts here, into <c>spans</c> (null when nobody listens), so its trace context travels in
    /// the message's attributes and counts in its size. <c>stored</c> gets the bodies that go through the payload store,
    /// by task index; it stays null when none does.
    /// </remarks>
    private (OutgoingMessage Message, int Size)[] BuildMessages(
        string entityId,
        List<TaskSpec> tasks,
        object? metadata,
        JsonTypeInfo? metadataTypeInfo,
        DeduplicationIds deduplication,
        string batchId,
        DateTimeOffset enqueuedAt,
        Activity?[]? spans,
        out Dictionary<int, (PayloadReference Reference, byte[] Body)>? stored)
    {
        stored = null;
        var metadataJson = TaskMessageWriter.SerializeObject(metadata, metadataTypeInfo, taskName: null);
        var timestamp = WireFormat.FormatTimestamp(enqueuedAt);
        var entityAttributeSize = BatchPlanner.AttributeSize(WireFormat.EntityId, entityId);
        var messages = new (OutgoingMessage, int)[tasks.Count];
        using var bodyWriter = TaskBodyWriter.Rent();
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            var configJson = TaskMessageWriter.SerializeObject(task.Config, task.ConfigTypeInfo, task.TaskName);
            var body = bodyWriter.Write(entityId, task.TaskName, configJson, metadataJson, timestamp, tasks.Count, batchId);
            var groupId = SqsIdentifier.ForGroup(entityId, task.TaskName);
            IReadOnlyDictionary<string, string> attributes;
            int attributesSize;
            var span = spans is null ? null : spans[i] = MessagingSpans.StartSend(options.QueueUrl, entityId, task.TaskName, groupId);
            if (span is null)
            {
                attributes = new TaskAttributes(entityId, task.TaskName);
                attributesSize = entityAttributeSize + BatchPlanner.AttributeSize(WireFormat.TaskName, task.TaskName);
            }
            else
            {
                var traced = new Dictionary<string, string>(4) { [WireFormat.EntityId] = entityId, [WireFormat.TaskName] = task.TaskName };
                TraceContext.Inject(span, traced);
                attributes = traced;
                attributesSize = BatchPlanner.AttributesSize(traced);
            }

            // The entry id is the task's index in the call: unique in any batch and a valid batch entry id.
            var id = BatchEntryIds.For(i);
            var deduplicationId = deduplication.For(entityId, task.TaskName, i);

            // Counted from the UTF-8 bytes as written: a body that goes to the store never becomes a string.
            var size = body.Length + attributesSize;
            OutgoingMessage message;
            if (_offloader.Stores(size))
            {
                (message, var reference) = _offloader.PointerFor(new OutgoingMessage(id, string.Empty, groupId, deduplicationId, attributes), body.Length, batchId);
                (stored ??= [])[i] = (reference, body.ToArray());
                Log.PayloadStored(logger, entityId, task.TaskName, size, reference.ToString());
                size = BatchPlanner.MessageSize(message);
            }
            else
            {
                message = new OutgoingMessage(id, Encoding.UTF8.GetString(body), groupId, deduplicationId, attributes);
            }

            if (size > options.MaxMessageBytes)
            {
                throw new ArgumentException(
                    $"Task '{task.TaskName}' of entity '{entityId}' is {size:N0} bytes, over the {options.MaxMessageBytes:N0}-byte message limit (MaxMessageBytes): shrink its config or metadata, or store large bodies in S3 (LargePayloads.Bucket, AddS3LargePayloads).",
                    nameof(tasks));
            }

            messages[i] = (message, size);
        }

        return messages;
    }
}
