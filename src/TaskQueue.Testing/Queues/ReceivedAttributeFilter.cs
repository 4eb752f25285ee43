using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>
/// Keeps the system and message attributes a receive asked for, as SQS returns only those: code that reads an attribute
/// its receive did not name finds it missing here too, not only on AWS.
/// </summary>
internal static class ReceivedAttributeFilter
{
    /// <summary>
    /// Ends a message attribute name that asks for every one starting with what precedes the <c>*</c> (<c>tenant.*</c>:
    /// <c>tenant.id</c>); alone, it asks for every one, as <c>All</c> does.
    /// </summary>
    private const string Wildcard = ".*";

    public static IReadOnlyList<ReceivedMessage> Apply(List<ReceivedMessage> received, ReceiveOptions options)
    {
        var systemNames = options.SystemAttributes is { } system && !system.Contains(QueueAttributeNames.All) ? system : null;
        var messageNames = options.MessageAttributes is { } message && !message.Contains(QueueAttributeNames.All) && !message.Contains(Wildcard) ? message : null;
        if (systemNames is null && messageNames is null)
        {
            return received;
        }

        return received
            .Select(m => m with
            {
                SystemAttributes = systemNames is null ? m.SystemAttributes : Keep(m.SystemAttributes, name => systemNames.Contains(name)),
                Attributes = messageNames is null ? m.Attributes : Keep(m.Attributes, name => messageNames.Any(asked => Matches(asked, name))),
            })
            .ToList();
    }

    /// <summary>Whether the attribute <paramref name="name"/> is one the name <paramref name="asked"/> asks for: itself, or one under its prefix.</summary>
    private static bool Matches(string asked, string name) =>
        asked.EndsWith(Wildcard, StringComparison.Ordinal)
            ? name.StartsWith(asked.AsSpan(0, asked.Length - 1), StringComparison.Ordinal)
            : string.Equals(asked, name, StringComparison.Ordinal);

    private static Dictionary<string, string> Keep(IReadOnlyDictionary<string, string> attributes, Func<string, bool> asked) =>
        attributes.Where(a => asked(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
}
