using System.Globalization;

namespace TaskQueue.Sqs;

/// <summary>
/// The ids of the entries of a batch call: an entry's position in the call, written as a decimal number. The positions a
/// batch of SQS can hold have their ids made once, so building a batch and reading its answer copy no string.
/// </summary>
internal static class BatchEntryIds
{
    private static readonly string[] Positions = [.. Enumerable.Range(0, SqsLimits.MaxBatchEntries).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The id of the entry at <paramref name="position"/>.</summary>
    public static string For(int position) =>
        (uint)position < (uint)Positions.Length ? Positions[position] : position.ToString(CultureInfo.InvariantCulture);

    /// <summary>The entries of one batch call, one per item in order, each named by its position.</summary>
    /// <param name="items">What the entries are made of, at most a batch's worth.</param>
    /// <param name="entry">Makes an item's entry from the item and its id; a static lambda, so a call allocates no delegate.</param>
    public static TEntry[] Entries<TItem, TEntry>(IReadOnlyList<TItem> items, Func<TItem, string, TEntry> entry)
    {
        var entries = new TEntry[items.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = entry(items[i], For(i));
        }

        return entries;
    }

    /// <summary>The position of the entry an id of the answer names.</summary>
    /// <exception cref="FormatException">The id is no decimal number, so it names no entry of the call.</exception>
    public static int PositionOf(string id) =>
        id is [var digit and >= '0' and <= '9'] ? digit - '0' : int.Parse(id, CultureInfo.InvariantCulture);
}
