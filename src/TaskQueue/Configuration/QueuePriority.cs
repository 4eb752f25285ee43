namespace TaskQueue;

/// <summary>How the workers of one host share receiving when several of their queues have work (see <c>AddTaskQueuePriority</c>).</summary>
public enum QueuePriority
{
    /// <summary>
    /// A worker starts no receive while a worker of higher <see cref="TaskQueueWorkerOptions.Priority"/> has work: its last
    /// receive brought messages, or it holds messages not yet finished. A paused worker, or one whose last receive came
    /// back empty (or failed) with nothing held, has none.
    /// </summary>
    Strict,

    /// <summary>
    /// While several workers have work, the messages each receives stay in proportion to its
    /// <see cref="TaskQueueWorkerOptions.Weight"/>: a worker ahead of its share waits to receive until the others catch up.
    /// A worker with no work takes no share and, when work comes back, starts level with the others, not ahead of them.
    /// </summary>
    Weighted,
}
