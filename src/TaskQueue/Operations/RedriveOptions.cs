namespace TaskQueue;

/// <summary>Which dead letters <see cref="TaskQueueHandler.RedriveDeadLettersAsync"/> moves back to the task queue.</summary>
public sealed record RedriveOptions
{
    /// <summary>Move only the dead letters of this entity; null for every entity.</summary>
    public string? EntityId { get; init; }

    /// <summary>Move only the dead letters of this task name; null for every task.</summary>
    public string? TaskName { get; init; }

    /// <summary>
    /// When true nothing moves: the dead letters that would move are listed in
    /// <see cref="RedriveResult.Matched"/> and every message is released again. Default false.
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary>The most dead letters to look at in one call, at least 1. Default 1,000.</summary>
    public int MaxMessages { get; init; } = 1000;

    /// <summary>True when a dead letter with this entity and task name is to move. A filtered redrive never moves a poison message, whose entity and task are unknown.</summary>
    /// <param name="message">The dead letter.</param>
    /// <returns>Whether it matches both filters.</returns>
    public bool Matches(DeadLetterMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (EntityId is null || string.Equals(EntityId, message.EntityId, StringComparison.Ordinal))
            && (TaskName is null || string.Equals(TaskName, message.TaskName, StringComparison.Ordinal));
    }
}
