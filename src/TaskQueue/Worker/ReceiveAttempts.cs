using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// One poller's ReceiveRequestAttemptIds. A FIFO receive that failed (its answer lost to a network error, a 5xx or a
/// throttle) is retried with the same id and the same count, so SQS hands back the messages it may already have hidden
/// instead of leaving them invisible until their timeout; after an answer, or once SQS has forgotten the id, a new one.
/// Not thread-safe: one per poller.
/// </summary>
internal sealed class ReceiveAttempts(bool fifo, TimeProvider time)
{
    private (string Id, int MaxMessages, long FirstTriedAt)? _unanswered;

    /// <summary>The attempt id (null on a standard queue, which takes none) and message count of the next receive with room for <paramref name="slots"/>.</summary>
    public (string? Id, int MaxMessages) Next(int slots)
    {
        if (!fifo)
        {
            return (null, slots);
        }

        // A retry asks for the same count as its first try, so it needs at least that much room.
        if (_unanswered is { } retry && retry.MaxMessages <= slots
            && time.GetElapsedTime(retry.FirstTriedAt) < SqsLimits.ReceiveRequestAttemptWindow)
        {
            return (retry.Id, retry.MaxMessages);
        }

        var attempt = (Id: Guid.NewGuid().ToString("N"), MaxMessages: slots, FirstTriedAt: time.GetTimestamp());
        _unanswered = attempt;
        return (attempt.Id, attempt.MaxMessages);
    }

    /// <summary>The last receive got an answer: the next one is a new attempt.</summary>
    public void Answered() => _unanswered = null;
}
