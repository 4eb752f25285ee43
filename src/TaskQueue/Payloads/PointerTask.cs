using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// What a pointer message says of its task without a fetch: TaskQueue's pointer messages carry the entity, the task name
/// and the batch id as attributes, so dead-letter peeks, redrive filters and entity status read them without
/// downloading the stored body. A pointer from another producer names no task until its body is fetched.
/// </summary>
internal static class PointerTask
{
    /// <summary>The task the pointer message's attributes name, its config and metadata left empty; null when they name none.</summary>
    /// <param name="message">A pointer message.</param>
    /// <returns>The task, or null.</returns>
    public static TaskMessage? From(ReceivedMessage message) =>
        message.Attributes.GetValueOrDefault(WireFormat.EntityId) is { Length: > 0 } entityId
        && message.Attributes.GetValueOrDefault(WireFormat.TaskName) is { Length: > 0 } taskName
            ? new TaskMessage(entityId, taskName, TaskMessageParser.EmptyObject, TaskMessageParser.EmptyObject, null, null)
            {
                BatchId = message.Attributes.GetValueOrDefault(WireFormat.BatchId),
            }
            : null;

    /// <summary>The task a dead letter holds: parsed from its body, or, for a pointer, named by its attributes.</summary>
    /// <param name="message">The message.</param>
    /// <param name="task">The task, when known without a fetch.</param>
    /// <param name="payload">Where its body is stored, when it is a pointer.</param>
    /// <param name="poisonReason">Why the body is neither a task nor a pointer, when it is not.</param>
    public static void Read(ReceivedMessage message, out TaskMessage? task, out PayloadReference? payload, out string? poisonReason)
    {
        if (PayloadPointer.TryRead(message, out payload, out poisonReason))
        {
            task = payload is null ? null : From(message);
            return;
        }

        poisonReason = TaskMessageParser.TryParse(message.Body, out task, out var reason) ? null : reason;
    }
}
