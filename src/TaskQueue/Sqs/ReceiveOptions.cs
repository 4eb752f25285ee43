namespace TaskQueue.Sqs;

/// <summary>Parameters of one ReceiveMessage call.</summary>
/// <param name="MaxMessages">1 to 10 messages.</param>
/// <param name="WaitTime">Long-poll wait, 0 to 20 seconds: the call returns as soon as a message arrives.</param>
/// <param name="VisibilityTimeout">How long the received messages stay hidden from other receivers; null uses the queue's default.</param>
public sealed record ReceiveOptions(int MaxMessages, TimeSpan WaitTime, TimeSpan? VisibilityTimeout = null)
{
    /// <summary>
    /// FIFO only: the receive's deduplication token (up to 128 letters, digits and punctuation). A receive retried with
    /// the same id within 5 minutes, while none of its messages was deleted or had its visibility changed, returns the
    /// same messages and receipt handles (and restarts their visibility timeout), so a receive whose answer was lost does
    /// not leave its messages hidden until their timeout. Null sends none.
    /// </summary>
    public string? ReceiveRequestAttemptId { get; init; }

    /// <summary>
    /// The system attributes to return, by <see cref="SystemAttributeNames"/> name; null asks for every one. SQS returns
    /// only those asked for, so a caller that names them must name every one it reads.
    /// </summary>
    public IReadOnlyList<string>? SystemAttributes { get; init; }

    /// <summary>
    /// The message attributes to return: exact names, prefix wildcards such as <c>tenant.*</c>, or <c>All</c>; null asks
    /// for every one. SQS returns only those asked for (none when none is named), so a caller that names them must name
    /// every one it reads, and a message it copies to another queue carries only those.
    /// </summary>
    public IReadOnlyList<string>? MessageAttributes { get; init; }
}
