using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// The attributes TaskQueue's producers put on a task message, put back on a dead-letter copy from the parsed task when
/// its receive did not ask for them: <c>entity_id</c> and <c>task_name</c> (see <see cref="WireFormat"/>), and on a
/// large payload's pointer, whose body names no task, <c>batch_id</c>. Dead-letter peeks, redrive filters and the
/// entity ledger's reconciler read them there without fetching a stored body.
/// </summary>
internal static class RestoredTaskAttributes
{
    /// <summary>
    /// The message's attributes with those of its task added where missing: a value the message came with wins, and none is
    /// added beyond SQS's limit of attributes a message (so that a copy of another producer's message is never refused).
    /// </summary>
    /// <param name="message">The message as received.</param>
    /// <param name="attributes">Its attributes to start from.</param>
    /// <param name="task">The task parsed from it (or its stored body); null for a poison message, which keeps what it has.</param>
    /// <returns>The attributes, the same instance when nothing is added.</returns>
    public static IReadOnlyDictionary<string, string> Of(ReceivedMessage message, IReadOnlyDictionary<string, string> attributes, TaskMessage? task)
    {
        if (task is null)
        {
            return attributes;
        }

        var batchId = task.BatchId is { Length: > 0 } id && IsPointer(message) ? id : null;
        if (attributes.ContainsKey(WireFormat.EntityId) && attributes.ContainsKey(WireFormat.TaskName)
            && (batchId is null || attributes.ContainsKey(WireFormat.BatchId)))
        {
            return attributes;
        }

        var restored = new Dictionary<string, string>(attributes, StringComparer.Ordinal);
        Add(restored, WireFormat.EntityId, task.EntityId);
        Add(restored, WireFormat.TaskName, task.TaskName);
        Add(restored, WireFormat.BatchId, batchId);
        return restored;
    }

    private static bool IsPointer(ReceivedMessage message) => PayloadPointer.TryRead(message, out var reference, out _) && reference is not null;

    private static void Add(Dictionary<string, string> attributes, string name, string? value)
    {
        if (value is { Length: > 0 } && attributes.Count < SqsLimits.MaxMessageAttributes)
        {
            attributes.TryAdd(name, value);
        }
    }
}
