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
            l.EnqueuedAt?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-",
            l.PoisonReason is null ? string.Empty : "poison: " + l.PoisonReason,
        }));
}
