using System.Globalization;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// The enqueue side of large payloads: decides which task bodies go to the store (their message would be larger than the
/// threshold, counted as SQS counts it) and turns such a task's message into its pointer message, which keeps the task's
/// group, deduplication id and attributes and adds the Extended Clients' size attribute and the batch id. The stored
/// object is the exact body the message would have carried, so an Extended Client consumer reads the task's wire format.
/// </summary>
/// <param name="store">The store; null when none is configured.</param>
/// <param name="options">The queue's options: <see cref="TaskQueueOptions.LargePayloads"/> and the message limit.</param>
internal sealed class PayloadOffloader(IPayloadStore? store, TaskQueueOptions options)
{
    /// <summary>Stores nothing.</summary>
    public static PayloadOffloader None { get; } = new(null, new TaskQueueOptions());

    private LargePayloadOptions LargePayloads => options.LargePayloads;

    /// <summary>True when a message of <paramref name="size"/> bytes goes through the store.</summary>
    /// <param name="size">The message's size, body and attributes, as SQS counts it.</param>
    /// <returns>Whether its body is stored.</returns>
    public bool Stores(int size) => store is not null && LargePayloads.Bucket is not null && size > (LargePayloads.Threshold ?? options.MaxMessageBytes);

    /// <summary>The pointer message that replaces <paramref name="message"/>, whose body of <paramref name="bodyBytes"/> bytes is to be stored.</summary>
    /// <param name="message">The task's message, body still to be set.</param>
    /// <param name="bodyBytes">The size of the body to store, in UTF-8 bytes.</param>
    /// <param name="batchId">The enqueue call's batch id: in the stored body, and on the pointer so that dead-letter readers find it without a fetch.</param>
    /// <returns>The pointer message and where the body goes.</returns>
    public (OutgoingMessage Pointer, PayloadReference Reference) PointerFor(OutgoingMessage message, int bodyBytes, string batchId)
    {
        // A random UUID per body, after the prefix, as the Java Extended Client names its objects.
        var reference = new PayloadReference(LargePayloads.Bucket!, LargePayloads.KeyPrefix + Guid.NewGuid().ToString("D"), bodyBytes);
        var attributes = new Dictionary<string, string>(message.Attributes ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [WireFormat.BatchId] = batchId,
            [MessageAttributeTypes.ExtendedPayloadSize] = bodyBytes.ToString(CultureInfo.InvariantCulture),
        };
        return (message with { Body = PayloadPointer.Write(reference), Attributes = attributes }, reference);
    }

    /// <summary>Stores a body under its reference.</summary>
    /// <param name="reference">Where.</param>
    /// <param name="body">The body, UTF-8.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public Task StoreAsync(PayloadReference reference, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        store!.PutAsync(reference.Bucket, reference.Key, body, cancellationToken);
}
