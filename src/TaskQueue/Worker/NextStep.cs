namespace TaskQueue;

/// <summary>What a message group does after one run of its current message.</summary>
/// <param name="Kind">Go on, stop, or run the same message again.</param>
/// <param name="RetryDelay">For <see cref="NextStepKind.RetryAfter"/>: how long to wait before the next attempt.</param>
internal readonly record struct NextStep(NextStepKind Kind, TimeSpan RetryDelay = default)
{
    /// <summary>The message is done (deleted, or moved to the dead-letter queue): the group's next message may run.</summary>
    public static NextStep Continue => new(NextStepKind.Continue);

    /// <summary>The message stays unfinished in the queue: the group's later messages must not overtake it, so they are released.</summary>
    public static NextStep Stop => new(NextStepKind.Stop);

    /// <summary>The message failed and is retried under the worker's own lease, after <paramref name="delay"/>, while its successors wait.</summary>
    public static NextStep RetryAfter(TimeSpan delay) => new(NextStepKind.RetryAfter, delay);
}

/// <summary>The kinds of <see cref="NextStep"/>.</summary>
internal enum NextStepKind
{
    /// <summary>Run the group's next message.</summary>
    Continue,

    /// <summary>Release the group's later messages and end the group.</summary>
    Stop,

    /// <summary>Run the same message again after a delay.</summary>
    RetryAfter,
}
