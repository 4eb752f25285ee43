using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Distributes the tasks of entities over an SQS FIFO queue: enqueue them, process them one at a
/// time with delete-on-success, read the queue's status and peek at its dead letters.
/// </summary>
/// <remarks>
/// Each task is one message with MessageGroupId <c>{entityId}-{taskName}</c>: tasks of one entity
/// run in parallel across workers while the retries of one task stay in order. (Pairs whose joined
/// names are equal, <c>a-b</c> + <c>c</c> and <c>a</c> + <c>b-c</c>, share a group: both run, one after the other.) A task whose handler
/// fails stays in the queue, comes back after the visibility timeout and, after the queue's
/// maxReceiveCount, moves to the dead-letter queue. The handler is thread-safe.
/// </remarks>
public sealed class TaskQueueHandler
{
    private readonly ISqsClient _sqs;
    private readonly TaskQueueOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ReceiveOptions _receiveOne;
    private readonly TaskEnqueuer _enqueuer;
    private readonly MessageSettler _settler;
    private readonly QueueStatusReader _statusReader;
    private readonly DeadLetterPeeker _peeker;
    private readonly DeadLetterRedriver _redriver;
    private readonly EntityStatusReader? _entityStatus;
    private readonly TaskBodyReader _bodies;

    /// <summary>Creates a handler over the AWS SDK's SQS client.</summary>
    /// <param name="sqs">The AWS SDK's client, configured as usual (region, credentials, endpoint); the caller keeps and disposes it.</param>
    /// <param name="options">The handler's settings; validated here, so bad values fail at construction, before any request.</param>
    /// <param name="logger">Where the handler logs; message bodies only at Debug.</param>
    /// <param name="timeProvider">The clock for timestamps and retry delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="entityTracking">The entity ledger and completion handlers (see the other constructor); null tracks nothing.</param>
    /// <param name="payloadStore">Where large task bodies are kept (see the other constructor); null stores and reads none.</param>
    /// <exception cref="OptionsValidationException">An option is out of range; the message names it.</exception>
    /// <exception cref="ArgumentException"><see cref="LargePayloadOptions.Bucket"/> is set and no payload store is given.</exception>
    public TaskQueueHandler(
        Amazon.SQS.IAmazonSQS sqs,
        TaskQueueOptions options,
        ILogger<TaskQueueHandler>? logger = null,
        TimeProvider? timeProvider = null,
        EntityTracking? entityTracking = null,
        IPayloadStore? payloadStore = null)
        : this(new AwsSqsClient(sqs), Microsoft.Extensions.Options.Options.Create(options ?? throw new ArgumentNullException(nameof(options))), logger, timeProvider, entityTracking, payloadStore)
    {
    }

    /// <summary>Creates a handler.</summary>
    /// <param name="sqs">The SQS client: <see cref="AwsSqsClient"/> for AWS and SQS-compatible servers, or an in-memory one for tests.</param>
    /// <param name="options">The handler's settings; validated here, so bad values fail at construction, before any request.</param>
    /// <param name="logger">Where the handler logs; message bodies only at Debug.</param>
    /// <param name="timeProvider">The clock for timestamps and retry delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="entityTracking">
    /// The entity ledger and completion handlers: enqueue records each batch, ProcessOne records each tracked task's
    /// fate before deleting it and announces completed batches, and <see cref="GetEntityStatusAsync"/> reads the ledger.
    /// Null (the default) records nothing and makes no extra request.
    /// </param>
    /// <param name="payloadStore">
    /// Where large task bodies are kept: enqueue stores a task's body there when its message would be larger than
    /// <see cref="LargePayloadOptions.Threshold"/> and <see cref="LargePayloadOptions.Bucket"/> is set, and sends a pointer;
    /// ProcessOne fetches the body a pointer names. Null (the default): nothing is stored, and a pointer is poison.
    /// </param>
    /// <exception cref="OptionsValidationException">An option is out of range; the message names it.</exception>
    /// <exception cref="ArgumentException"><see cref="LargePayloadOptions.Bucket"/> is set and no payload store is given.</exception>
    public TaskQueueHandler(
        ISqsClient sqs,
        IOptions<TaskQueueOptions> options,
        ILogger<TaskQueueHandler>? logger = null,
        TimeProvider? timeProvider = null,
        EntityTracking? entityTracking = null,
        IPayloadStore? payloadStore = null)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentNullException.ThrowIfNull(options);
        _sqs = sqs;
        _options = OptionsGuard.Validated(options.Value, new TaskQueueOptionsValidator());
        _logger = logger ?? NullLogger<TaskQueueHandler>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _receiveOne = TaskReceives.Options(1, _options.WaitTime, _options);
        // One message at a time: its delete goes out at once instead of waiting for a batch to fill.
        if (payloadStore is null && _options.LargePayloads.Bucket is { } bucket)
        {
            throw new ArgumentException(
                $"LargePayloads.Bucket is '{bucket}' but no payload store was given: pass an IPayloadStore (AddS3LargePayloads registers the S3 one), or unset the bucket.",
                nameof(payloadStore));
        }

        var settling = SettleChain.Create(sqs, _options, TimeSpan.Zero, _time, _logger, entityTracking: entityTracking, payloadStore: payloadStore);
        var deadLetterQueue = settling.DeadLetterQueue;
        _bodies = new TaskBodyReader(payloadStore);
        _enqueuer = new TaskEnqueuer(sqs, _options, _time, _logger, entityTracking?.Ledger, new PayloadOffloader(payloadStore, _options));
        _settler = settling.Settler;
        _statusReader = new QueueStatusReader(sqs, _options, deadLetterQueue);
        _peeker = new DeadLetterPeeker(sqs, _options, deadLetterQueue, _logger);
        _redriver = new DeadLetterRedriver(sqs, _options, deadLetterQueue, _time, _logger);
        _entityStatus = entityTracking is null ? null : new EntityStatusReader(entityTracking.Ledger, _peeker);
    }

    /// <summary>The settings in use.</summary>
    public TaskQueueOptions Options => _options;

    /// <summary>
    /// Enqueues the tasks of one entity: one message per task, sent in batches of up to 10. The
    /// arguments are checked before any request. Entries SQS reports as failed are sent again up to
    /// <see cref="TaskQueueOptions.SendRetryAttempts"/> times; what still fails is reported in the result,
    /// never dropped in silence.
    /// </summary>
    /// <remarks>
    /// Deduplication: by default each call's messages get deduplication ids of their own, so this call's resends
    /// (and the SDK's retries) are deduplicated and a later call, however soon, is new work that runs. With
    /// <paramref name="idempotencyKey"/>, or <see cref="DeduplicationMode.Deterministic"/>, a send repeating an id SQS
    /// saw in the last 5 minutes is accepted but not delivered (see <see cref="TaskEnqueueOutcome.MayHaveBeenDeduplicated"/>).
    /// </remarks>
    /// <param name="entityId">The parent entity, e.g. <c>doc-123</c>.</param>
    /// <param name="tasks">The tasks, with names unique in the call.</param>
    /// <param name="metadata">Shared by all the tasks (tenant, organisation...): null, or a JSON object sent as it is (no reflection: fit for trimming and Native AOT).</param>
    /// <param name="idempotencyKey">
    /// Null, or a key naming this unit of work across processes (an upload id, a request id): every call with the same
    /// key sends each task with the same deduplication id, so within SQS's 5-minute window a repeat, from this process
    /// or another, is not delivered again. Overrides <see cref="TaskQueueOptions.DeduplicationMode"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the sending.</param>
    /// <returns>Each task's message id, or why it was not sent.</returns>
    /// <exception cref="ArgumentException">The entity id is empty, the task list is empty, a task name is empty or repeated, a config or the metadata is not a JSON object or nests deeper than a worker reads, an id, name, key, config or metadata holds a lone UTF-16 surrogate, the idempotency key is empty, or a message is over <see cref="TaskQueueOptions.MaxMessageBytes"/>.</exception>
    /// <exception cref="SqsConfigurationException">
    /// No send can succeed until the setup is fixed: the queue does not exist (<see cref="QueueDoesNotExistException"/>), the credentials
    /// may not send to it (<see cref="QueueAccessDeniedException"/>), no credentials were found or SQS rejects them, or the endpoint is not SQS.
    /// Tasks sent by earlier batches of the call stay sent.
    /// </exception>
    public Task<EnqueueResult> EnqueueTasksAsync(
        string entityId,
        IEnumerable<TaskSpec> tasks,
        JsonElement? metadata = null,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        _enqueuer.EnqueueAsync(entityId, tasks, metadata, metadata is null ? null : CallerJson.Element, idempotencyKey, cancellationToken);

    /// <summary>Enqueues the tasks of one entity, like the other overload, with metadata of any type serialized by reflection.</summary>
    /// <param name="entityId">The parent entity, e.g. <c>doc-123</c>.</param>
    /// <param name="tasks">The tasks, with names unique in the call.</param>
    /// <param name="metadata">Shared by all the tasks (tenant, organisation...): null or anything that serializes to a JSON object.</param>
    /// <param name="idempotencyKey">Null, or a key naming this unit of work across processes (see the other overload).</param>
    /// <param name="cancellationToken">Cancels the sending.</param>
    /// <returns>Each task's message id, or why it was not sent.</returns>
    /// <exception cref="ArgumentException">An argument is not valid (see the other overload).</exception>
    /// <exception cref="SqsConfigurationException">No send can succeed until the setup is fixed (see the other overload).</exception>
    [RequiresUnreferencedCode(CallerJson.ReflectionWarning)]
    [RequiresDynamicCode(CallerJson.ReflectionWarning)]
    public Task<EnqueueResult> EnqueueTasksAsync(
        string entityId,
        IEnumerable<TaskSpec> tasks,
        object? metadata,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        _enqueuer.EnqueueAsync(entityId, tasks, metadata, CallerJson.ByReflection(metadata), idempotencyKey, cancellationToken);

    /// <summary>
    /// Long-polls for one task and runs <paramref name="handler"/> on it. The message is deleted only
    /// when the handler succeeds; when it throws, the message stays and comes back after the visibility
    /// timeout (or sooner: see <see cref="TaskQueueOptions.RetryBackoff"/>). A body that is not a task message never throws here: it is reported as
    /// <see cref="ProcessOutcome.Poison"/> and left for the redrive policy, or moved to the DLQ
    /// (see <see cref="TaskQueueOptions.PoisonMessageHandling"/>). ProcessOne has no heartbeat: a handler that outlasts
    /// <see cref="TaskQueueOptions.VisibilityTimeout"/> ends as <see cref="ProcessOutcome.LeaseLost"/>, not deleted, since the
    /// message may already be running elsewhere. A handler returning a <see cref="TaskOutcome"/> chooses what becomes of
    /// the task: <see cref="TaskOutcome.RetryAfter"/> sets its visibility to the delay it gives, <see cref="TaskOutcome.DeadLetter"/>
    /// moves it to the DLQ now; an exception of a type in <see cref="TaskQueueOptions.NonRetryableExceptions"/> moves it too.
    /// </summary>
    /// <typeparam name="TResult">The handler's return type; <see cref="TaskOutcome"/> to choose the outcome.</typeparam>
    /// <param name="handler">Runs the task; its <see cref="TaskContext"/> carries the message id, receive count and cancellation token.</param>
    /// <param name="cancellationToken">Cancels the poll and the handler; a cancelled task is not deleted.</param>
    /// <returns>The result, or null when no message arrived within <see cref="TaskQueueOptions.WaitTime"/>.</returns>
    public async Task<ProcessResult<TResult>?> ProcessOneAsync<TResult>(
        Func<TaskMessage, TaskContext, Task<TResult>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var messages = await _sqs.ReceiveMessagesAsync(_options.QueueUrl, _receiveOne, cancellationToken).ConfigureAwait(false);
        if (messages.Count == 0)
        {
            return null;
        }

        var message = messages[0];
        var receiptValidUntil = ReceiptDeadline.After(_time, _options.VisibilityTimeout);
        var result = await TaskDispatcher.DispatchAsync(_options.QueueUrl, message, message.ReceiveCount, handler, _bodies, _time, _logger, cancellationToken).ConfigureAwait(false);
        var settlement = await _settler.SettleAsync(message, result, receiptValidUntil, leaseLost: false, mayRetryUnderLease: false, cancellationToken).ConfigureAwait(false);
        return settlement.Result;
    }

    /// <summary>Long-polls for one task and runs a handler that returns no value; see <see cref="ProcessOneAsync{TResult}"/>.</summary>
    /// <param name="handler">Runs the task.</param>
    /// <param name="cancellationToken">Cancels the poll and the handler; a cancelled task is not deleted.</param>
    /// <returns>The result, or null when no message arrived within <see cref="TaskQueueOptions.WaitTime"/>.</returns>
    public Task<ProcessResult<bool>?> ProcessOneAsync(
        Func<TaskMessage, TaskContext, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return ProcessOneAsync<bool>(
            async (task, context) =>
            {
                await handler(task, context).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Reads how many tasks are available, in flight and delayed, and how many sit in the DLQ.</summary>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>Approximate counts, as SQS reports them.</returns>
    public Task<QueueStatus> GetQueueStatusAsync(CancellationToken cancellationToken = default) =>
        _statusReader.ReadAsync(cancellationToken);

    /// <summary>
    /// Peeks at up to <paramref name="maxMessages"/> dead letters without consuming them: they are
    /// received with a short visibility timeout (<see cref="TaskQueueOptions.PeekVisibilityTimeout"/>)
    /// and released at once. More than 10 are read in several receives.
    /// </summary>
    /// <param name="maxMessages">How many to look at, at least 1.</param>
    /// <param name="cancellationToken">Cancels the peek; what was received is still released.</param>
    /// <returns>The dead letters seen, each with entity, task, receive count and enqueue time.</returns>
    /// <exception cref="InvalidOperationException">No DLQ is configured and the queue has no redrive policy.</exception>
    public Task<IReadOnlyList<DeadLetterMessage>> GetDlqMessagesAsync(int maxMessages = 10, CancellationToken cancellationToken = default) =>
        _peeker.PeekAsync(maxMessages, cancellationToken);

    /// <summary>
    /// Moves dead letters back to the task queue, all of them or those of one entity and/or task:
    /// each is sent with its own message group and then deleted from the DLQ, only after the send
    /// succeeded (at least once: a crash half way leaves a message in both queues, never in neither;
    /// a repeated redrive within 5 minutes is deduplicated). Dead letters that do not match, and on a
    /// dry run every one, are released again at once. A moved task starts over with a receive count of 0.
    /// </summary>
    /// <param name="redrive">Filters, dry run and how many to look at; everything, for real, when null.</param>
    /// <param name="cancellationToken">Cancels the redrive; what was received and not moved is still released.</param>
    /// <returns>What matched, how many moved, how many were skipped and which failed.</returns>
    /// <exception cref="InvalidOperationException">No DLQ is configured and the queue has no redrive policy.</exception>
    /// <remarks>Like a peek, each look adds one to a dead letter's receive count, and on a FIFO DLQ a message held by this call keeps the rest of its group back until it is released.</remarks>
    public Task<RedriveResult> RedriveDeadLettersAsync(RedriveOptions? redrive = null, CancellationToken cancellationToken = default) =>
        _redriver.RedriveAsync(redrive ?? new RedriveOptions(), cancellationToken);

    /// <summary>
    /// Reads what the entity ledger knows of an entity: each enqueue batch, oldest first, with each task's state
    /// (pending, completed, dead-lettered), attempts, last error and duration, and whether the batch's completion was
    /// announced. When a task was dead-lettered, up to 100 dead letters are peeked at to say whether it still sits in
    /// the DLQ (<see cref="EntityTaskStatus.InDeadLetterQueue"/>; null when the DLQ holds more than were looked at).
    /// </summary>
    /// <param name="entityId">The entity.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The entity's batches; none when the ledger has none.</returns>
    /// <exception cref="InvalidOperationException">The handler was built without an entity ledger.</exception>
    /// <exception cref="ArgumentException">The entity id is empty.</exception>
    public Task<EntityStatus> GetEntityStatusAsync(string entityId, CancellationToken cancellationToken = default) =>
        _entityStatus is null
            ? throw new InvalidOperationException(
                "Entity status needs an entity ledger: build the handler with an EntityTracking, or call AddEntityLedger after AddTaskQueue.")
            : _entityStatus.ReadAsync(entityId, cancellationToken);
}
