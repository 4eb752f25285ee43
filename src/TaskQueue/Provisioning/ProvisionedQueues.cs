namespace TaskQueue;

/// <summary>What <see cref="QueueProvisioner.EnsureQueuesAsync"/> found or made.</summary>
/// <param name="QueueUrl">The task queue's URL.</param>
/// <param name="DeadLetterQueueUrl">The DLQ's URL.</param>
/// <param name="Created">The names of the queues this call created; empty when both existed.</param>
/// <param name="Differences">Attributes of existing queues that differ from the definition; they were left as they are.</param>
public sealed record ProvisionedQueues(
    string QueueUrl,
    string DeadLetterQueueUrl,
    IReadOnlyList<string> Created,
    IReadOnlyList<QueueAttributeDifference> Differences)
{
    /// <summary>True when both queues exist with the defined attributes.</summary>
    public bool MatchesDefinition => Differences.Count == 0;
}

/// <summary>An attribute of an existing queue that is not what the definition asks for.</summary>
/// <param name="QueueName">The queue.</param>
/// <param name="Attribute">The attribute's name, e.g. <c>VisibilityTimeout</c>.</param>
/// <param name="Expected">The defined value.</param>
/// <param name="Actual">The queue's value; null when it has none.</param>
public sealed record QueueAttributeDifference(string QueueName, string Attribute, string Expected, string? Actual)
{
    /// <inheritdoc />
    public override string ToString() => $"{QueueName}: {Attribute} is {Actual ?? "(unset)"}, expected {Expected}";
}
