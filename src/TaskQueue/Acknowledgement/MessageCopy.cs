using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>The copy of a received message that moves it to another queue: same body, group and the attributes its receive brought, and a note on why when it goes to the DLQ.</summary>
internal static class MessageCopy
{
    /// <param name="message">The message to move.</param>
    /// <param name="entryId">Its id in the send batch.</param>
    /// <param name="deduplicationId">Derived from the message id, so a move repeated after a crash between send and delete is deduplicated.</param>
    public static OutgoingMessage Of(ReceivedMessage message, string entryId, string deduplicationId) => new(
        Id: entryId,
        Body: message.Body,
        // A standard-queue message has no group; its own id keeps it apart from every other on a FIFO target.
        MessageGroupId: message.MessageGroupId ?? message.MessageId,
        MessageDeduplicationId: deduplicationId,
        Attributes: DeadLetterNote.Without(message.Attributes));

    /// <summary>
    /// The copy that moves a message to the dead-letter queue, noting why and after how many attempts, with the attributes
    /// that name its task put back from <paramref name="task"/> when the receive did not bring them.
    /// </summary>
    public static OutgoingMessage ToDeadLetterQueue(
        ReceivedMessage message, TaskMessage? task, string entryId, string deduplicationId, string reason, int attempts) =>
        Of(message, entryId, deduplicationId) with
        {
            Attributes = DeadLetterNote.With(RestoredTaskAttributes.Of(message, DeadLetterNote.Without(message.Attributes), task), reason, attempts),
        };
}
