using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// The receives of tasks, by the worker and <see cref="TaskQueueHandler.ProcessOneAsync"/>: they ask only for the system
/// and message attributes a task run reads (the body carries the task), plus the ones
/// <see cref="TaskQueueOptions.MessageAttributeNames"/> names for a dead-letter copy to keep, and the task name attribute
/// when the worker limits task names (see <see cref="TaskThrottle"/>). Every attribute returned is unmarshalled and
/// checksummed by the SDK on each receive.
/// </summary>
internal static class TaskReceives
{
    /// <summary>The attempt count and the FIFO group: what a task's context, its backoff and a move to the DLQ read.</summary>
    private static readonly IReadOnlyList<string> SystemAttributes =
        [SystemAttributeNames.ApproximateReceiveCount, SystemAttributeNames.MessageGroupId];

    /// <summary>The producer's trace context, which the task's span joins, and a pointer's stored body size, which its fetch reads.</summary>
    private static readonly IReadOnlyList<string> MessageAttributes =
    [
        TaskQueueDiagnostics.TraceParentAttribute,
        TaskQueueDiagnostics.TraceStateAttribute,
        MessageAttributeTypes.ExtendedPayloadSize,
        MessageAttributeTypes.LegacyPayloadSize,
    ];

    /// <summary>What a limited worker asks for besides: the task name, which its throttle reads without the body (a stored one is not fetched yet).</summary>
    private static readonly IReadOnlyList<string> MessageAttributesWithTaskName = [.. MessageAttributes, WireFormat.TaskName];

    /// <summary>The options of a receive of tasks.</summary>
    /// <param name="maxMessages">Most messages to return.</param>
    /// <param name="waitTime">How long to long-poll.</param>
    /// <param name="options">The queue's options: visibility timeout and the attributes named to keep.</param>
    /// <param name="attemptId">The FIFO receive attempt id, when the receive may be retried.</param>
    /// <param name="withTaskName">Whether to ask for the <c>task_name</c> attribute too: only a worker with task limits reads it.</param>
    public static ReceiveOptions Options(int maxMessages, TimeSpan waitTime, TaskQueueOptions options, string? attemptId = null, bool withTaskName = false) =>
        new(maxMessages, waitTime, options.VisibilityTimeout)
        {
            SystemAttributes = SystemAttributes,
            MessageAttributes = MessageAttributesFor(withTaskName ? MessageAttributesWithTaskName : MessageAttributes, options.MessageAttributeNames),
            ReceiveRequestAttemptId = attemptId,
        };

    /// <summary>The message attributes to ask for: those a run reads and those named to keep; null (every one) when <c>All</c> is named.</summary>
    private static IReadOnlyList<string>? MessageAttributesFor(IReadOnlyList<string> read, IList<string> kept)
    {
        if (kept.Count == 0)
        {
            return read;
        }

        var names = new List<string>(read);
        foreach (var name in kept)
        {
            if (name is MessageAttributeNameRules.All or MessageAttributeNameRules.Wildcard)
            {
                return null;
            }

            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }
}
