using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Reads the task a received message carries: from its body, or, when the body is a pointer (from TaskQueue or an AWS
/// Extended Client producer), from the stored body it points to. A stored body is read straight into one array of the
/// size the pointer message gives and parsed in place: one copy of the body in memory, never a string of it.
/// A pointer to a missing object is poison (no retry brings it back); any other failure to fetch it is a failed
/// attempt, retried as a handler's failure is.
/// </summary>
/// <param name="store">Where stored bodies are read from; null when none is configured (a pointer is then poison).</param>
internal sealed class TaskBodyReader(IPayloadStore? store)
{
    /// <summary>Largest body one array holds.</summary>
    private static readonly long MaxBodyBytes = Array.MaxLength;

    /// <summary>Reads bodies only, for callers that have no store.</summary>
    public static TaskBodyReader BodiesOnly { get; } = new(null);

    /// <summary>Reads the message's task.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels a fetch.</param>
    /// <returns>The task, or why the message is poison, or the error that failed the fetch.</returns>
    public async ValueTask<BodyReading> ReadAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        if (!PayloadPointer.TryRead(message, out var reference, out var pointerError))
        {
            return TaskMessageParser.TryParse(message.Body, out var task, out var reason) ? new(task, null, null, null) : new(null, reason, null, null);
        }

        if (reference is null)
        {
            return new(null, pointerError, null, null);
        }

        if (store is null)
        {
            return new(null, $"body points to the stored body {reference}, and no payload store is configured to read it: add one (AddS3LargePayloads)", null, reference);
        }

        byte[] body;
        int length;
        try
        {
            (body, length) = await FetchAsync(store, reference, cancellationToken).ConfigureAwait(false);
        }
        catch (PayloadNotFoundException)
        {
            return new(null, $"the stored body {reference} does not exist (deleted, expired or never written)", null, reference);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new(null, null, ex, reference);
        }

        return TaskMessageParser.TryParse(body.AsMemory(0, length), out var stored, out var storedReason)
            ? new(stored, null, null, reference)
            : new(null, $"stored body {reference}: {storedReason}", null, reference);
    }

    /// <summary>Reads the object into one array: of the size the pointer gives when it does, grown only when the object is larger.</summary>
    private static async Task<(byte[] Body, int Length)> FetchAsync(IPayloadStore store, PayloadReference reference, CancellationToken cancellationToken)
    {
        var content = await store.OpenReadAsync(reference.Bucket, reference.Key, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            var body = new byte[reference.Size is { } size and > 0 ? Math.Min(size, MaxBodyBytes) : 64 * 1024];
            var length = 0;
            while (true)
            {
                if (length == body.Length)
                {
                    // Full: one byte more tells whether the object ends here, without growing the array for nothing.
                    var probe = new byte[1];
                    if (await content.ReadAsync(probe, cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return (body, length);
                    }

                    if (body.Length >= MaxBodyBytes)
                    {
                        throw new InvalidDataException($"The stored body {reference} is larger than {MaxBodyBytes:N0} bytes, the most one task body can be.");
                    }

                    Array.Resize(ref body, (int)Math.Min((long)body.Length * 2, MaxBodyBytes));
                    body[length++] = probe[0];
                }

                var read = await content.ReadAsync(body.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (body, length);
                }

                length += read;
            }
        }
    }
}

/// <summary>What reading a message's task gave.</summary>
/// <param name="Task">The task, when the message holds one.</param>
/// <param name="PoisonReason">Why the message can never run, when it cannot.</param>
/// <param name="FetchError">Why its stored body could not be fetched this time, when a retry may succeed.</param>
/// <param name="Payload">Where its body is stored, when it is a pointer.</param>
internal readonly record struct BodyReading(TaskMessage? Task, string? PoisonReason, Exception? FetchError, PayloadReference? Payload);
