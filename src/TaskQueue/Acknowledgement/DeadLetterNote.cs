using System.Globalization;
using System.Text;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Why TaskQueue moved a message to the dead-letter queue, and after how many attempts, written as message attributes of
/// its DLQ copy so a peek can show them. SQS takes at most 10 attributes a message, and a task message already carries
/// up to four (entity, task name, trace context): a note that does not fit is left out, never the message's own.
/// </summary>
internal static class DeadLetterNote
{
    /// <summary>Message attribute holding why TaskQueue moved the message to the DLQ.</summary>
    public const string ReasonAttribute = "dead_letter_reason";

    /// <summary>Message attribute holding how many attempts the task had made when it was moved.</summary>
    public const string AttemptsAttribute = "dead_letter_attempts";

    /// <summary>A reason is for reading, and the attributes count toward the message's size limit: longer ones are cut.</summary>
    private const int MaxReasonLength = 1024;

    /// <summary>The attributes without a note from an earlier move: a redriven task starts over.</summary>
    public static IReadOnlyDictionary<string, string> Without(IReadOnlyDictionary<string, string> attributes) =>
        attributes.ContainsKey(ReasonAttribute) || attributes.ContainsKey(AttemptsAttribute)
            ? attributes.Where(a => a.Key is not (ReasonAttribute or AttemptsAttribute)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal)
            : attributes;

    /// <summary>The attributes with the note added, the reason first, as far as SQS's attribute limit leaves room.</summary>
    public static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string> attributes, string reason, int attempts)
    {
        var noted = new Dictionary<string, string>(Without(attributes), StringComparer.Ordinal);
        if (noted.Count < SqsLimits.MaxMessageAttributes)
        {
            noted[ReasonAttribute] = Printable(reason);
        }

        if (noted.Count < SqsLimits.MaxMessageAttributes)
        {
            noted[AttemptsAttribute] = attempts.ToString(CultureInfo.InvariantCulture);
        }

        return noted;
    }

    /// <summary>The reason in a dead letter's attributes, when TaskQueue moved it.</summary>
    public static string? Reason(IReadOnlyDictionary<string, string> attributes) => attributes.GetValueOrDefault(ReasonAttribute);

    /// <summary>The attempt count in a dead letter's attributes, when TaskQueue moved it.</summary>
    public static int? Attempts(IReadOnlyDictionary<string, string> attributes) =>
        attributes.TryGetValue(AttemptsAttribute, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var attempts)
            ? attempts
            : null;

    /// <summary>
    /// The reason cut to length, with what SQS refuses in an attribute value (control characters other than tab and
    /// line breaks, lone surrogates, U+FFFE and U+FFFF) replaced by '?', so that the note never makes the move fail.
    /// </summary>
    private static string Printable(string reason)
    {
        var text = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
        var printable = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var allowed = rune.Value is 0x9 or 0xA or 0xD || (rune.Value >= 0x20 && rune.Value != 0xFFFE && rune.Value != 0xFFFF && rune != Rune.ReplacementChar);
            printable.Append(allowed ? rune.ToString() : "?");
        }

        return printable.ToString();
    }
}
