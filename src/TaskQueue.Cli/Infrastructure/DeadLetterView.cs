using System.Globalization;

namespace TaskQueue.Cli.Infrastructure;

/// <summary>How <c>dlq peek</c> and <c>dlq redrive</c> show dead letters: a table, or JSON without the receipt handle.</summary>
internal static class DeadLetterView
{
    public static object From(DeadLetterMessage letter) => new
    {
        letter.MessageId,
        letter.EntityId,
        letter.TaskName,
        letter.ReceiveCount,
        letter.EnqueuedAt,
        letter.MessageGroupId,
        letter.PoisonReason,
        letter.DeadLetterReason,
        letter.Attempts,
        letter.BatchId,
        Payload = letter.Payload?.ToString(),
        PayloadBytes = letter.Payload?.Size,
        letter.Body,
    };

    public static void WriteTable(TextWriter output, IEnumerable<DeadLetterMessage> letters) => Output.WriteTable(
        output,
        ["message id", "entity", "task", "receives", "enqueued", "note"],
        letters.Select(l => new[]
        {
            l.MessageId,
            l.EntityId ?? "?",
            l.TaskName ?? "?",
            l.ReceiveCount.ToString(CultureInfo.InvariantCulture),
            Output.Time(l.EnqueuedAt),
            Note(l),
        }));

    /// <summary>Why the letter is dead: poison, or the reason TaskQueue moved it with and after how many attempts.</summary>
    private static string Note(DeadLetterMessage letter) => letter.Payload is { } payload
        ? Join(Reason(letter), $"body stored in {payload}{(payload.Size is { } size ? string.Create(CultureInfo.InvariantCulture, $" ({size:N0} bytes)") : "")}")
        : Reason(letter);

    private static string Join(string reason, string payload) => reason.Length == 0 ? payload : $"{reason}; {payload}";

    private static string Reason(DeadLetterMessage letter) => letter switch
    {
        { PoisonReason: { } poison } => "poison: " + poison,
        { DeadLetterReason: { } reason, Attempts: { } attempts } => string.Create(CultureInfo.InvariantCulture, $"after {attempts} attempt{(attempts == 1 ? "" : "s")}: {reason}"),
        { DeadLetterReason: { } reason } => reason,
        _ => string.Empty,
    };
}
