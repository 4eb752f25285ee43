namespace TaskQueue;

/// <summary>One task of an enqueue batch, as the ledger knows it.</summary>
/// <param name="TaskName">The task's name.</param>
/// <param name="State">Pending, completed or dead-lettered.</param>
/// <param name="Attempts">How many attempts the recorded fate took; 0 while pending.</param>
/// <param name="LastError">Why its last failed attempt failed or why it was dead-lettered; null when none failed or none is recorded.</param>
/// <param name="FinishedAt">When its fate was recorded; null while pending.</param>
/// <param name="Duration">How long the deciding run took; null while pending.</param>
public sealed record EntityTaskStatus(
    string TaskName,
    EntityTaskState State,
    int Attempts = 0,
    string? LastError = null,
    DateTimeOffset? FinishedAt = null,
    TimeSpan? Duration = null)
{
    /// <summary>
    /// Whether a message of this task sits in the dead-letter queue now: filled in by
    /// <see cref="TaskQueueHandler.GetEntityStatusAsync"/>, which looks; null when nobody looked.
    /// </summary>
    public bool? InDeadLetterQueue { get; init; }
}
