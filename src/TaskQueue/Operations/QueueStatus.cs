namespace TaskQueue;

/// <summary>Approximate message counts of the task queue (SQS counts are eventually consistent).</summary>
/// <param name="Available">Messages waiting to be received.</param>
/// <param name="InFlight">Messages received and neither deleted nor visible again: tasks running, or failed and waiting out their visibility timeout.</param>
/// <param name="Delayed">Messages not yet available because of the queue's delay.</param>
/// <param name="DeadLetters">Messages in the dead-letter queue (available plus in flight), or null when there is no DLQ.</param>
public sealed record QueueStatus(long Available, long InFlight, long Delayed, long? DeadLetters);
