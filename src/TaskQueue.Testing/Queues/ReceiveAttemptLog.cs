namespace TaskQueue.Testing;

/// <summary>
/// The answers of a FIFO queue's receives by ReceiveRequestAttemptId, for 5 minutes: a retry with the id gets the same
/// messages and receipt handles back while none of them was deleted, had its visibility changed or became visible
/// again, as on AWS; otherwise it is a receive like any other.
/// </summary>
internal sealed class ReceiveAttemptLog
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Answer> _answers = new(StringComparer.Ordinal);

    /// <summary>The messages and handles of the receive with <paramref name="attemptId"/>, hidden again for <paramref name="visibilityTimeout"/>; null when it cannot be repeated.</summary>
    public List<(StoredMessage Message, string ReceiptHandle)>? TryRepeat(
        string attemptId, TimeSpan visibilityTimeout, DateTimeOffset now, ReceiptHandleTable receiptHandles)
    {
        if (!_answers.TryGetValue(attemptId, out var answer) || answer.ReceivedAt + Window <= now)
        {
            return null;
        }

        var unchanged = answer.Deliveries.All(d =>
            receiptHandles.TryGetMessage(d.ReceiptHandle, out var message)
            && ReferenceEquals(message, d.Message)
            && string.Equals(message.LatestReceiptHandle, d.ReceiptHandle, StringComparison.Ordinal)
            && message.VisibleAt == d.VisibleAt
            && message.IsInFlight(now));
        if (!unchanged)
        {
            return null;
        }

        // The repeat restarts the visibility timeout, as AWS documents.
        var repeated = new List<Delivery>(answer.Deliveries.Count);
        foreach (var delivery in answer.Deliveries)
        {
            delivery.Message.VisibleAt = now + visibilityTimeout;
            repeated.Add(delivery with { VisibleAt = delivery.Message.VisibleAt });
        }

        _answers[attemptId] = answer with { Deliveries = repeated };
        return repeated.Select(d => (d.Message, d.ReceiptHandle)).ToList();
    }

    public void Remember(string attemptId, IEnumerable<(StoredMessage Message, string ReceiptHandle)> deliveries, DateTimeOffset now) =>
        _answers[attemptId] = new Answer(now, deliveries.Select(d => new Delivery(d.Message, d.ReceiptHandle, d.Message.VisibleAt)).ToList());

    public void ForgetExpired(DateTimeOffset now)
    {
        foreach (var id in _answers.Where(pair => pair.Value.ReceivedAt + Window <= now).Select(pair => pair.Key).ToList())
        {
            _answers.Remove(id);
        }
    }

    private sealed record Answer(DateTimeOffset ReceivedAt, List<Delivery> Deliveries);

    private sealed record Delivery(StoredMessage Message, string ReceiptHandle, DateTimeOffset VisibleAt);
}
