namespace TaskQueue.Testing;

/// <summary>
/// The receipt handles one queue has issued: which message each names, and the latest handles of deleted
/// messages (a repeated delete with them succeeds, as on SQS) until the message's retention would have ended.
/// </summary>
internal sealed class ReceiptHandleTable
{
    private readonly Dictionary<string, StoredMessage> _issued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _deleted = new(StringComparer.Ordinal);

    public void Issue(string receiptHandle, StoredMessage message) => _issued[receiptHandle] = message;

    /// <summary>The message <paramref name="receiptHandle"/> was issued for, while it is still in the queue.</summary>
    public bool TryGetMessage(string receiptHandle, out StoredMessage message) =>
        _issued.TryGetValue(receiptHandle, out message!);

    public bool WasDeleted(string receiptHandle) => _deleted.ContainsKey(receiptHandle);

    /// <summary>Forgets a message that left the queue; its latest handle stays valid for deletes until <paramref name="rememberUntil"/>.</summary>
    public void Forget(StoredMessage message, DateTimeOffset? rememberUntil = null)
    {
        foreach (var handle in message.IssuedReceiptHandles)
        {
            _issued.Remove(handle);
        }

        if (rememberUntil is { } until && message.LatestReceiptHandle is { } latest)
        {
            _deleted[latest] = until;
        }
    }

    public void ForgetExpired(DateTimeOffset now)
    {
        foreach (var handle in _deleted.Where(pair => pair.Value <= now).Select(pair => pair.Key).ToList())
        {
            _deleted.Remove(handle);
        }
    }
}
