namespace TaskQueue;

/// <summary>The kinds of <see cref="TaskOutcome"/> a handler chooses from.</summary>
public enum TaskOutcomeKind
{
    /// <summary>The task is done; its message is deleted.</summary>
    Completed = 0,

    /// <summary>The task is tried again after the delay the handler chose.</summary>
    RetryAfter = 1,

    /// <summary>The task goes to the dead-letter queue now, with the handler's reason.</summary>
    DeadLetter = 2,
}
