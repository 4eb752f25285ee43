using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>The receives of tasks, by the worker and <see cref="TaskQueueHandler.ProcessOneAsync"/>: they ask only for the system attributes a task run reads.</summary>
internal static class TaskReceives
{
    /// <summary>The attempt count and the FIFO group: what a task's context, its backoff and a move to the DLQ read.</summary>
    private static readonly IReadOnlyList<string> SystemAttributes =
        [SystemAttributeNames.ApproximateReceiveCount, SystemAttributeNames.MessageGroupId];

    public static ReceiveOptions Options(int maxMessages, TimeSpan waitTime, TimeSpan? visibilityTimeout, string? attemptId = null) =>
        new(maxMessages, waitTime, visibilityTimeout) { SystemAttributes = SystemAttributes, ReceiveRequestAttemptId = attemptId };
}
