namespace TaskQueue;

/// <summary>What a redrive of dead letters did, or on a dry run would do.</summary>
/// <param name="DryRun">True when nothing was moved.</param>
/// <param name="Matched">The dead letters that matched the filters: moved, or on a dry run the ones that would move.</param>
/// <param name="Moved">How many were sent to the task queue and deleted from the DLQ; 0 on a dry run.</param>
/// <param name="Skipped">How many dead letters did not match the filters; they were released and stay in the DLQ.</param>
/// <param name="Failed">Matching dead letters that did not move, with the reason; each stays in the DLQ (or, when only its delete failed, is in both queues until a repeated redrive, deduplicated within 5 minutes).</param>
public sealed record RedriveResult(
    bool DryRun,
    IReadOnlyList<DeadLetterMessage> Matched,
    int Moved,
    int Skipped,
    IReadOnlyList<RedriveFailure> Failed);

/// <summary>A dead letter a redrive could not move.</summary>
/// <param name="Message">The dead letter.</param>
/// <param name="ErrorCode">The SQS error code, or <c>DeleteFailed</c> when it was sent but could not be deleted from the DLQ.</param>
/// <param name="ErrorMessage">What SQS said.</param>
public sealed record RedriveFailure(DeadLetterMessage Message, string ErrorCode, string? ErrorMessage);
