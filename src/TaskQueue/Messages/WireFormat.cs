using System.Globalization;

namespace TaskQueue;

/// <summary>
/// Names and formats of the task message body and attributes, shared with the Python reference
/// handler: changing any of them breaks producers and workers written against it.
/// </summary>
internal static class WireFormat
{
    /// <summary>Body field and message attribute holding the parent entity's id.</summary>
    public const string EntityId = "entity_id";

    /// <summary>Body field and message attribute holding the task's name.</summary>
    public const string TaskName = "task_name";

    /// <summary>Body field holding the task's parameters (a JSON object).</summary>
    public const string TaskConfig = "task_config";

    /// <summary>Body field holding metadata shared by all tasks of one enqueue (a JSON object).</summary>
    public const string Metadata = "metadata";

    /// <summary>Body field holding the enqueue time, ISO-8601 UTC.</summary>
    public const string Timestamp = "timestamp";

    /// <summary>Body field written as 0; the live count is the message's ApproximateReceiveCount.</summary>
    public const string RetryCount = "retry_count";

    /// <summary>Body field holding how many tasks the enqueue call had for the entity.</summary>
    public const string TotalTasks = "total_tasks";

    /// <summary>
    /// Body field holding the enqueue call's batch id, which the entity ledger records fates under. Not in the reference
    /// format: its reader ignores it, and a body without it is still a task (it is just not tracked).
    /// </summary>
    public const string BatchId = "batch_id";

    /// <summary>
    /// How deep a body may nest, the body object itself counted as one level: a worker reads no deeper, so
    /// enqueue refuses a config or metadata nested more than <c>MaxDepth - 1</c> levels, before sending it.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Formats a UTC time the way Python's <c>datetime.isoformat()</c> does: <c>2026-11-23T10:15:30.123456+00:00</c>.</summary>
    /// <param name="time">The time; converted to UTC.</param>
    /// <returns>The formatted timestamp.</returns>
    public static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>Reads an ISO-8601 timestamp with or without offset (no offset means UTC).</summary>
    /// <param name="text">The timestamp text.</param>
    /// <param name="time">The parsed time.</param>
    /// <returns>True when the text is a valid ISO-8601 time.</returns>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out DateTimeOffset time) =>
        TryParseWrittenTimestamp(text, out time)
        || DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out time);

    /// <summary>
    /// The form <see cref="FormatTimestamp"/> and Python's <c>isoformat()</c> write, <c>2026-11-23T10:15:30.123456+00:00</c>,
    /// read digit by digit: every task body carries one, and the general parser costs a worker more than the rest of the
    /// body. Anything else (another offset, no fraction, a leap second) is left to the general parser.
    /// </summary>
    private static bool TryParseWrittenTimestamp(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        time = default;
        if (text.Length != 32 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] != '.' || !text[26..].SequenceEqual("+00:00"))
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day)
            || !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second)
            || !TryDigits(text[20..26], out var microseconds)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (!char.IsAsciiDigit(digit))
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        return true;
    }
}
