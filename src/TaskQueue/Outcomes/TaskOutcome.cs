namespace TaskQueue;

/// <summary>
/// What a handler decides becomes of its task: done (the message is deleted), tried again after a delay it chooses
/// (instead of the retry backoff), or moved to the dead-letter queue now with a reason. A handler that throws fails its
/// task instead, retried with the backoff until the queue's maxReceiveCount.
/// </summary>
public sealed class TaskOutcome
{
    /// <summary>The longest visibility timeout SQS accepts.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(12);

    private TaskOutcome(TaskOutcomeKind kind, TimeSpan? retryDelay, string? deadLetterReason)
    {
        Kind = kind;
        RetryDelay = retryDelay;
        DeadLetterReason = deadLetterReason;
    }

    /// <summary>The task is done: its message is deleted.</summary>
    public static TaskOutcome Completed { get; } = new(TaskOutcomeKind.Completed, null, null);

    /// <summary>What the handler decided.</summary>
    public TaskOutcomeKind Kind { get; }

    /// <summary>How long the task waits before its next attempt, for <see cref="TaskOutcomeKind.RetryAfter"/>.</summary>
    public TimeSpan? RetryDelay { get; }

    /// <summary>Why the task goes to the dead-letter queue, for <see cref="TaskOutcomeKind.DeadLetter"/>.</summary>
    public string? DeadLetterReason { get; }

    /// <summary>
    /// Tries the task again after <paramref name="delay"/>: the message's visibility is set to it (SQS counts whole
    /// seconds, so it is rounded up), or the worker waits that long under its own lease while later tasks of the group
    /// are held behind it. The attempt counts toward the queue's maxReceiveCount like a failure.
    /// </summary>
    /// <param name="delay">0 to 12 hours.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The delay is negative or longer than 12 hours, the longest visibility SQS sets.</exception>
    public static TaskOutcome RetryAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, MaxRetryDelay);
        return new(TaskOutcomeKind.RetryAfter, delay, null);
    }

    /// <summary>
    /// Moves the task to the dead-letter queue now, whatever attempts it has left. The DLQ copy carries the reason and the
    /// attempt count as message attributes, shown by a DLQ peek. Without a dead-letter queue the task stays and is retried.
    /// </summary>
    /// <param name="reason">Why the task can never succeed, for whoever reads the DLQ.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException">The reason is empty.</exception>
    public static TaskOutcome DeadLetter(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(TaskOutcomeKind.DeadLetter, null, reason);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TaskOutcomeKind.RetryAfter => $"RetryAfter({RetryDelay})",
        TaskOutcomeKind.DeadLetter => $"DeadLetter({DeadLetterReason})",
        _ => "Completed",
    };
}
