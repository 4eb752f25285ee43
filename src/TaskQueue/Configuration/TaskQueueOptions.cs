using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>Settings of a <see cref="TaskQueueHandler"/>, bindable from configuration and checked when the host starts.</summary>
public sealed class TaskQueueOptions
{
    /// <summary>The largest visibility timeout SQS accepts: 12 hours. The same limit the library checks against everywhere.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = SqsLimits.MaxVisibilityTimeout;

    /// <summary>The longest long-poll wait SQS accepts: 20 seconds. The same limit the library checks against everywhere.</summary>
    public static readonly TimeSpan MaxWaitTime = SqsLimits.MaxWaitTime;

    /// <summary>The largest message SQS accepts: 1 MiB, body and attributes together. The same limit the library checks against everywhere.</summary>
    public const int MaxSqsMessageBytes = SqsLimits.MaxMessageBytes;

    /// <summary>URL of the FIFO queue the tasks go to. Required.</summary>
    public string QueueUrl { get; set; } = string.Empty;

    /// <summary>
    /// URL of the dead-letter queue, for status, peeking and moving poison messages. When empty it is
    /// found from the source queue's RedrivePolicy.
    /// </summary>
    public string? DeadLetterQueueUrl { get; set; }

    /// <summary>Long-poll wait of a receive, 0 to 20 whole seconds. Default 5 seconds.</summary>
    public TimeSpan WaitTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a received task stays hidden from other workers, 1 second to 12 hours in whole seconds (SQS's unit).
    /// Default 900 seconds. The worker's heartbeat extends a running task before it ends; without one, a task still
    /// running when it ends becomes visible and may run twice, and its run is reported as <see cref="ProcessOutcome.LeaseLost"/>.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(900);

    /// <summary>
    /// How MessageDeduplicationIds are chosen when the caller gives no idempotency key. Default
    /// <see cref="DeduplicationMode.PerCall"/>: every enqueue call is new work.
    /// </summary>
    public DeduplicationMode DeduplicationMode { get; set; } = DeduplicationMode.PerCall;

    /// <summary>What happens to a body that is not a task message. Default <see cref="PoisonMessageHandling.LeaveForRedrive"/>.</summary>
    public PoisonMessageHandling PoisonMessageHandling { get; set; } = PoisonMessageHandling.LeaveForRedrive;

    /// <summary>
    /// Largest message enqueue sends, bytes, body and attributes together: 1,024 to 1,048,576. Set it to
    /// the queue's MaximumMessageSize when that is lower. Default 1,048,576.
    /// </summary>
    public int MaxMessageBytes { get; set; } = MaxSqsMessageBytes;

    /// <summary>
    /// Large task bodies (claim check): with a <see cref="LargePayloadOptions.Bucket"/> and a payload store, a task whose
    /// message would be larger than the threshold (by default <see cref="MaxMessageBytes"/>) is stored there and sent as a
    /// pointer in the AWS Extended Client format. Off by default.
    /// </summary>
    public LargePayloadOptions LargePayloads { get; set; } = new();

    /// <summary>How many more times enqueue sends the entries a batch reported as failed, 0 to 10. Default 3.</summary>
    public int SendRetryAttempts { get; set; } = 3;

    /// <summary>Pause before the first resend of failed entries; doubled for each further attempt. Default 200 ms.</summary>
    public TimeSpan SendRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a failed task waits before its next attempt (exponential, capped).</summary>
    public RetryBackoffOptions RetryBackoff { get; set; } = new();

    /// <summary>
    /// Exception types a retry cannot fix (a validation error, a permission refused): a task whose handler throws one of
    /// them, or a type derived from one, goes to the dead-letter queue at once with the exception as its reason.
    /// Empty by default: every exception is retried.
    /// </summary>
    public ICollection<Type> NonRetryableExceptions { get; } = new HashSet<Type>();

    /// <summary>
    /// The producers' own message attributes a task's receive asks for, so that a copy TaskQueue makes to the dead-letter
    /// queue (poison, a dead letter the handler asked for, a non-retryable exception, a last attempt under the worker's
    /// lease) keeps them: exact names, prefix wildcards such as <c>tenant.*</c>, or <c>All</c> for every one. Empty by
    /// default: receives ask only for the attributes a task run reads (the trace context, a large payload's size), and a
    /// dead-letter copy carries those, <c>entity_id</c> and <c>task_name</c> (and <c>batch_id</c> on a large payload's
    /// pointer) put back from the task, and the reason it was moved. Attributes SQS itself moves to the dead-letter queue
    /// after <c>maxReceiveCount</c> keep all of theirs either way. Each attribute asked for costs every receive its
    /// transfer and checksum; <c>All</c> costs about 2 KB of allocation per task.
    /// </summary>
    public IList<string> MessageAttributeNames { get; } = new List<string>();

    /// <summary>How long peeked dead letters stay hidden while a peek pages through them, before they are released. Default 30 seconds.</summary>
    public TimeSpan PeekVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
