using System.Buffers;
using System.Diagnostics;
using System.Globalization;
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
    private readonly PayloadOffloader _offloader = offloader ?? PayloadOffloader.None;

    public async Task<EnqueueResult> EnqueueAsync(
        string entityId, IEnumerable<TaskSpec> tasks, object? metadata, JsonTypeInfo? metadataTypeInfo, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var spans = new List<Activity?>();
        try
        {
            var deduplication = DeduplicationIds.ForCall(options.DeduplicationMode, idempotencyKey);
            var enqueuedAt = timeProvider.GetUtcNow();
            var taskList = CheckTasks(entityId, tasks);
            var batchId = deduplication.BatchIdFor(entityId, taskList.ConvertAll(t => t.TaskName));
            var stored = new Dictionary<int, (PayloadReference Reference, byte[] Body)>();
            var messages = BuildMessages(entityId, taskList, metadata, metadataTypeInfo, deduplication, batchId, enqueuedAt, spans, stored);
            if (ledger is not null)
            {
                await ledger.OpenBatchAsync(entityId, batchId, taskList.ConvertAll(t => t.TaskName), enqueuedAt, cancellationToken).ConfigureAwait(false);
            }

            var errors = new (string Code, string Message)?[messages.Count];
            await StoreBodiesAsync(stored, errors, cancellationToken).ConfigureAwait(false);
            var result = await SendAllAsync(entityId, batchId, messages, errors, deduplication.SharedBeyondCall, cancellationToken).ConfigureAwait(false);
            EndSpans(spans, result);
            return result;
        }
        finally
        {
            foreach (var span in spans)
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
        List<(OutgoingMessage Message, int Size)> messages,
        (string Code, string Message)?[] errors,
        bool deduplicatedBeyondCall,
        CancellationToken cancellationToken)
    {
        var messageIds = new string?[messages.Count];

        // A task whose body could not be stored already has its error, and is not sent.
        var pending = Enumerable.Range(0, messages.Count).Where(i => errors[i] is null).ToList();
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

        var outcomes = new TaskEnqueueOutcome[messages.Count];
        for (var i = 0; i < messages.Count; i++)
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
        }

        Log.TasksEnqueued(logger, entityId, outcomes.Count(o => o.Succeeded), outcomes.Length);
        return new EnqueueResult(entityId, outcomes) { BatchId = batchId };
    }

    /// <summary>Records each task's message id or failure on its producer span, and counts what was sent.</summary>
    private static void EndSpans(List<Activity?> spans, EnqueueResult result)
    {
        for (var i = 0; i < result.Tasks.Count; i++)
        {
            var outcome = result.Tasks[i];
            if (outcome.Succeeded)
            {
                TaskQueueInstruments.TasksEnqueued.Add(1, MessagingSpans.TaskTags(outcome.TaskName));
                spans[i]?.SetTag("messaging.message.id", outcome.MessageId);
            }
            else
            {
                spans[i]?.SetStatus(ActivityStatusCode.Error, $"{outcome.ErrorCode}: {outcome.ErrorMessage}");
            }
        }
    }

    /// <summary>Sends the pending messages in batch calls; records successes and final failures.</summary>
    /// <returns>The indexes worth sending again.</returns>
    private async Task<List<int>> SendAsync(
        List<(OutgoingMessage Message, int Size)> messages,
        List<int> pending,
        string?[] messageIds,
        (string Code, string Message)?[] errors,
        CancellationToken cancellationToken)
    {
        var retryable = new List<int>();
        var pendingMessages = pending.Select(i => messages[i]).ToList();
        foreach (var batch in BatchPlanner.Plan(pendingMessages))
        {
            var entries = batch.Select(b => messages[pending[b]].Message).ToList();
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
                    var index = EntryIndex(entry.Id);
                    errors[index] = (ex.GetType().Name, ex.Message);
                    if (ex.IsTransient)
                    {
                        retryable.Add(index);
                    }
                }

                continue;
            }

            foreach (var sent in result.Successful)
            {
                var index = EntryIndex(sent.Id);
                messageIds[index] = sent.MessageId;
                errors[index] = null;
            }

            foreach (var failure in result.Failed)
            {
                var index = EntryIndex(failure.Id);
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

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < taskList.Count; i++)
        {
            var task = taskList[i] ?? throw new ArgumentException($"Task {i} of entity '{entityId}' is null.", nameof(tasks));
            if (string.IsNullOrWhiteSpace(task.TaskName))
            {
                throw new ArgumentException($"Task {i} of entity '{entityId}' has an empty task name.", nameof(tasks));
            }

            UnicodeText.ThrowIfLoneSurrogate(task.TaskName, $"The task name of task {i} of entity '{entityId}'", nameof(tasks));
            if (!seen.Add(task.TaskName))
            {
                throw new ArgumentException($"Task '{task.TaskName}' appears twice for entity '{entityId}': task names must be unique in one enqueue.", nameof(tasks));
            }
        }

        return taskList;
    }

    /// <summary>Builds one message per checked task, before any request; a config or metadata that cannot be sent throws.</summary>
    /// <remarks>Each task's producer span starts here, so its trace context travels in the message's attributes and counts in its size.</remarks>
    private List<(OutgoingMessage Message, int Size)> BuildMessages(
        string entityId,
        List<TaskSpec> tasks,
        object? metadata,
        JsonTypeInfo? metadataTypeInfo,
        DeduplicationIds deduplication,
        string batchId,
        DateTimeOffset enqueuedAt,
        List<Activity?> spans,
        Dictionary<int, (PayloadReference Reference, byte[] Body)> stored)
    {
        var metadataJson = TaskMessageWriter.SerializeObject(metadata, metadataTypeInfo, "metadata");
        var timestamp = WireFormat.FormatTimestamp(enqueuedAt);
        var bodyBuffer = new ArrayBufferWriter<byte>(1024);
        var messages = new List<(OutgoingMessage, int)>(tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            var configJson = TaskMessageWriter.SerializeObject(task.Config, task.ConfigTypeInfo, $"task_config of task '{task.TaskName}'");
            TaskMessageWriter.Write(bodyBuffer, entityId, task.TaskName, configJson, metadataJson, timestamp, tasks.Count, batchId);
            var groupId = SqsIdentifier.ForGroup(entityId, task.TaskName);
            var attributes = new Dictionary<string, string>(4)
            {
                [WireFormat.EntityId] = entityId,
                [WireFormat.TaskName] = task.TaskName,
            };
            var span = MessagingSpans.StartSend(options.QueueUrl, entityId, task.TaskName, groupId);
            spans.Add(span);
            if (span is not null)
            {
                TraceContext.Inject(span, attributes);
            }

            var message = new OutgoingMessage(
                // The entry id is the task's index in the call: unique in any batch and a valid batch entry id.
                Id: i.ToString(CultureInfo.InvariantCulture),
                Body: string.Empty,
                MessageGroupId: groupId,
                MessageDeduplicationId: deduplication.For(entityId, task.TaskName, i),
                Attributes: attributes);

            // Counted from the UTF-8 bytes as written: a body that goes to the store never becomes a string.
            var size = bodyBuffer.WrittenCount + BatchPlanner.AttributesSize(attributes);
            if (_offloader.Stores(size))
            {
                (message, var reference) = _offloader.PointerFor(message, bodyBuffer.WrittenCount, batchId);
                stored[i] = (reference, bodyBuffer.WrittenSpan.ToArray());
                Log.PayloadStored(logger, entityId, task.TaskName, size, reference.ToString());
                size = BatchPlanner.MessageSize(message);
            }
            else
            {
                message = message with { Body = Encoding.UTF8.GetString(bodyBuffer.WrittenSpan) };
            }

            if (size > options.MaxMessageBytes)
            {
                throw new ArgumentException(
                    $"Task '{task.TaskName}' of entity '{entityId}' is {size:N0} bytes, over the {options.MaxMessageBytes:N0}-byte message limit (MaxMessageBytes): shrink its config or metadata, or store large bodies in S3 (LargePayloads.Bucket, AddS3LargePayloads).",
                    nameof(tasks));
            }

            messages.Add((message, size));
        }

        return messages;
    }

    private static int EntryIndex(string entryId) => int.Parse(entryId, CultureInfo.InvariantCulture);
}
