using System.Globalization;
using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>The request-level rules SQS applies to every batch call: 1 to 10 entries with distinct, well-formed ids.</summary>
internal static class BatchRules
{
    public const int MaxEntries = 10;
    public const int MaxBatchBytes = 1_048_576;
    private const int MaxEntryIdLength = 80;

    /// <summary>Checks the entry ids of a batch.</summary>
    /// <exception cref="SqsRequestException">An empty batch, more than 10 entries, a repeated id or an invalid id.</exception>
    public static void ValidateEntryIds(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            throw SqsErrors.Request(SqsErrors.EmptyBatchRequest, "The batch request has no entries: send 1 to 10.");
        }

        if (ids.Count > MaxEntries)
        {
            throw SqsErrors.Request(
                SqsErrors.TooManyEntriesInBatchRequest,
                string.Create(CultureInfo.InvariantCulture, $"The batch request has {ids.Count} entries; SQS accepts at most {MaxEntries}: split it."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!IsValidEntryId(id))
            {
                throw SqsErrors.Request(
                    SqsErrors.InvalidBatchEntryId,
                    $"Batch entry id '{id}' is invalid: use 1 to 80 letters, digits, '-' and '_'.");
            }

            if (!seen.Add(id))
            {
                throw SqsErrors.Request(SqsErrors.BatchEntryIdsNotDistinct, $"Batch entry id '{id}' appears more than once: ids must be unique in a batch.");
            }
        }
    }

    private static bool IsValidEntryId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxEntryIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
