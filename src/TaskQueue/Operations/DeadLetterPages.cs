using System.Runtime.CompilerServices;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Reads a dead-letter queue page by page for peeks and redrives: each receive takes up to 10 messages
/// and hides them for a short visibility timeout, each message is yielded once, and reading stops at
/// the wanted count or when a page brings nothing new. Everything received stays in <see cref="Held"/>
/// with its latest receipt handle, for the caller to release or delete.
/// </summary>
/// <remarks>
/// Every page long-polls for a second: a receive that does not wait may sample only some SQS servers
/// and come back empty while dead letters remain, which would end the reading early.
/// </remarks>
internal sealed class DeadLetterPages(ISqsClient sqs, string deadLetterQueueUrl, TimeSpan visibilityTimeout)
{
    private const int MaxPerReceive = SqsLimits.MaxBatchEntries;
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(1);

    /// <summary>Every message received and not yet taken out by <see cref="Forget"/>, by message id.</summary>
    public Dictionary<string, ReceivedMessage> Held { get; } = new(StringComparer.Ordinal);

    /// <summary>Yields the new messages of each page until <paramref name="maxMessages"/> were seen or a page had none.</summary>
    public async IAsyncEnumerable<IReadOnlyList<ReceivedMessage>> ReadAsync(int maxMessages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (seen.Count < maxMessages)
        {
            var page = await sqs.ReceiveMessagesAsync(
                deadLetterQueueUrl,
                new ReceiveOptions(Math.Min(MaxPerReceive, maxMessages - seen.Count), PageWait, visibilityTimeout),
                cancellationToken).ConfigureAwait(false);
            var fresh = new List<ReceivedMessage>(page.Count);
            foreach (var message in page)
            {
                // A message seen twice keeps its latest receipt handle: the earlier one no longer releases it.
                Held[message.MessageId] = message;
                if (seen.Add(message.MessageId))
                {
                    fresh.Add(message);
                }
            }

            if (fresh.Count == 0)
            {
                yield break;
            }

            yield return fresh;
        }
    }

    /// <summary>Stops holding a message the caller has dealt with (deleted after a move).</summary>
    public void Forget(string messageId) => Held.Remove(messageId);
}
