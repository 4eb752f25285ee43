namespace TaskQueue;

/// <summary>What a task handler knows about the message it runs for.</summary>
/// <param name="MessageId">The SQS message id; stable across receives of the same message.</param>
/// <param name="ReceiveCount">
/// Which attempt this is: 1 on the first run, 2 on the first retry. It is the message's ApproximateReceiveCount plus the
/// retries the worker made under its own lease (while later tasks of the group waited behind this one), so it counts
/// toward the queue's maxReceiveCount as SQS would.
/// </param>
/// <param name="MessageGroupId">The FIFO message group, <c>{entityId}-{taskName}</c> for messages TaskQueue sent.</param>
/// <param name="CancellationToken">
/// Signalled when the caller or the worker's shutdown cancels the task, or when the worker loses the message's lease
/// (SQS refused to extend its visibility, or it ran out): the message may then be with another worker.
/// </param>
public sealed record TaskContext(string MessageId, int ReceiveCount, string? MessageGroupId, CancellationToken CancellationToken);
