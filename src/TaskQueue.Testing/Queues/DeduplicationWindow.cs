using TaskQueue.Sqs;

namespace TaskQueue.Testing;

/// <summary>
/// The FIFO deduplication ids a queue accepted in the last 5 minutes: a send with one of them is reported as a
/// success with the original message id and is not stored again.
/// </summary>
internal sealed class DeduplicationWindow
{
    /// <summary>How long SQS remembers a deduplication id, counted from the first accepted send.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, (SentMessage Original, DateTimeOffset ExpiresAt)> _accepted = new(StringComparer.Ordinal);

    /// <summary>The original send of <paramref name="deduplicationId"/> while it is within the window.</summary>
    public bool TryGetOriginal(string deduplicationId, DateTimeOffset now, out SentMessage original)
    {
        if (_accepted.TryGetValue(deduplicationId, out var entry) && entry.ExpiresAt > now)
        {
            original = entry.Original;
            return true;
        }

        original = null!;
        return false;
    }

    /// <summary>The key of a deduplication id scoped to its message group; length-prefixed, so no two pairs meet.</summary>
    public static string GroupKey(string messageGroupId, string deduplicationId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{messageGroupId.Length}:{messageGroupId}{deduplicationId}");

    public void Remember(string deduplicationId, SentMessage original, DateTimeOffset now) =>
        _accepted[deduplicationId] = (original, now + Interval);

    public void ForgetExpired(DateTimeOffset now)
    {
        foreach (var id in _accepted.Where(pair => pair.Value.ExpiresAt <= now).Select(pair => pair.Key).ToList())
        {
            _accepted.Remove(id);
        }
    }
}
