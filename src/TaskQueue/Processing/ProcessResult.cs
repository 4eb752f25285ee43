
namespace TaskQueue;

/// <summary>The result of processing one message.</summary>
/// <typeparam name="TResult">The handler's return type.</typeparam>
/// <param name="Outcome">Completed, failed, poison, lease lost, or the retry or dead letter the handler asked for.</param>
/// <param name="MessageId">The SQS message id.</param>
/// <param name="ReceiveCount">Which attempt the run was (see <see cref="TaskContext.ReceiveCount"/>).</param>
/// <param name="Task">The parsed task; null for a poison message.</param>
/// <param name="Value">The handler's return value when completed.</param>
/// <param name="Error">The handler's exception when failed.</param>
/// <param name="PoisonReason">Why the body is not a task message, when poison.</param>
/// <param name="Deleted">True when the message is gone from the queue: deleted after success, or moved to the DLQ by TaskQueue (poison, no handler, a dead letter the handler asked for, a non-retryable exception, or its last allowed attempt failed).</param>
/// <param name="RetryDelay">The delay the handler chose, when it asked for a retry.</param>
/// <param name="DeadLetterReason">Why the task goes to the DLQ, when the handler asked for it or its config did not bind.</param>
public sealed record ProcessResult<TResult>(
    ProcessOutcome Outcome,
    string MessageId,
    int ReceiveCount,
    TaskMessage? Task,
    TResult? Value = default,
    Exception? Error = null,
    string? PoisonReason = null,
    bool Deleted = false,
    TimeSpan? RetryDelay = null,
    string? DeadLetterReason = null)
{
    /// <summary>How long the handler ran; zero for a poison message, which runs none.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// True once TaskQueue has sent this run's dead-letter copy while the rest of the move (the ledger record, the delete)
    /// is still to be done: settling it again must not send a second copy.
    /// </summary>
    internal bool DeadLetterCopied { get; init; }

    /// <summary>True once a completed run's fate is in the entity ledger (and its batch's completion announced): only the delete is left.</summary>
    internal bool FateRecorded { get; init; }

    /// <summary>
    /// True once a failed run's attempt is in the entity ledger, or was left out of it because its dead-lettering's record
    /// follows: settling it again does not write it again.
    /// </summary>
    internal bool FailureRecorded { get; init; }
}
