using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>Keeps the system attributes a receive asked for, as SQS returns only those.</summary>
internal static class SystemAttributeFilter
{
    public static IReadOnlyList<ReceivedMessage> Apply(List<ReceivedMessage> received, IReadOnlyList<string>? names)
    {
        if (names is null || names.Contains(QueueAttributeNames.All))
        {
            return received;
        }

        return received
            .Select(m => m with
            {
                SystemAttributes = m.SystemAttributes.Where(a => names.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
            })
            .ToList();
    }
}
