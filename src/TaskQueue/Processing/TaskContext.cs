namespace TaskQueue.Processing;

/// <summary>What a task handler knows about the message it runs for.</summary>
/// <param name="MessageId">The SQS message id; stable across receives of the same message.</param>
/// <param name="ReceiveCount">How many times the message has been received, this time included: 1 on the first run, 2 on the first retry.</param>
/// <param name="MessageGroupId">The FIFO message group, <c>{entityId}-{taskName}</c> for messages TaskQueue sent.</param>
/// <param name="CancellationToken">Signalled when the caller or the worker's shutdown cancels the task.</param>
public sealed record TaskContext(string MessageId, int ReceiveCount, string? MessageGroupId, CancellationToken CancellationToken);
