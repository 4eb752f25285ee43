namespace TaskQueue;

/// <summary>
/// Checks <see cref="TaskQueueOptions.MessageAttributeNames"/> against what a ReceiveMessage call takes: <c>All</c>, a
/// message attribute name as SQS allows it, or such a name followed by <c>.*</c> (every attribute under that prefix).
/// </summary>
internal static class MessageAttributeNameRules
{
    /// <summary>Asks a receive for every message attribute.</summary>
    public const string All = "All";

    /// <summary>Ends a prefix wildcard: <c>tenant.*</c> asks for <c>tenant.id</c>, <c>tenant.region</c>...</summary>
    public const string Wildcard = ".*";

    private const int MaxNameLength = 256;

    /// <summary>Prefixes SQS keeps for itself, in any casing.</summary>
    private static readonly string[] ReservedPrefixes = ["AWS.", "Amazon."];

    public static void Check(List<string> failures, IList<string>? names)
    {
        if (names is null)
        {
            failures.Add("MessageAttributeNames must not be null.");
            return;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (Problem(names[i]) is { } problem)
            {
                failures.Add(
                    $"MessageAttributeNames[{i}] '{names[i]}' {problem}: give an SQS message attribute name (1 to {MaxNameLength} letters, digits, '_', '-' and '.'), a prefix wildcard such as 'tenant.*', or 'All'.");
            }
        }
    }

    /// <summary>What is wrong with the entry, or null when a receive takes it.</summary>
    private static string? Problem(string? entry)
    {
        if (string.IsNullOrEmpty(entry))
        {
            return "is empty";
        }

        if (entry is All or Wildcard)
        {
            return null;
        }

        if (entry.Length > MaxNameLength)
        {
            return $"is {entry.Length} characters long";
        }

        var name = entry.EndsWith(Wildcard, StringComparison.Ordinal) ? entry[..^Wildcard.Length] : entry;
        return name switch
        {
            _ when name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')) => "has a character SQS does not allow in a name",
            _ when name.StartsWith('.') || name.EndsWith('.') => "starts or ends with '.'",
            _ when name.Contains("..", StringComparison.Ordinal) => "has two '.' in a row",
            _ when ReservedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) => "starts with a prefix SQS reserves (AWS., Amazon.)",
            _ => null,
        };
    }
}
