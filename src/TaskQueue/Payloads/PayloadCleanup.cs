using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Deletes a finished task's stored body once its message is deleted, never before: a message that comes back (a delete
/// that failed, a lease lost) must still find its body. Dead-lettered tasks keep theirs (their DLQ copy is the pointer,
/// and a redrive sends it again). A failed delete is logged and left to the bucket's lifecycle rule: the task is done.
/// </summary>
/// <param name="store">The store; null when none is configured (nothing to delete).</param>
/// <param name="options">Whether bodies are deleted after processing.</param>
/// <param name="logger">Where failed deletes are logged.</param>
internal sealed class PayloadCleanup(IPayloadStore? store, LargePayloadOptions options, ILogger logger)
{
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    /// <summary>Deletes the stored body of <paramref name="message"/>, a pointer whose message was just deleted; nothing for other messages.</summary>
    /// <param name="message">The deleted message.</param>
    /// <returns>A task that completes when the body is deleted or the failure logged; it never faults.</returns>
    public Task AfterMessageDeletedAsync(ReceivedMessage message)
    {
        if (store is null || !options.DeleteAfterProcessing || !PayloadPointer.TryRead(message, out var reference, out _) || reference is null)
        {
            return Task.CompletedTask;
        }

        var deleting = DeleteAsync(store, reference, message.MessageId);
        _running.TryAdd(deleting, true);
        _ = deleting.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return deleting;
    }

    /// <summary>As <see cref="AfterMessageDeletedAsync"/>, for a caller that does not wait: the delete is drained at shutdown all the same.</summary>
    /// <param name="message">The deleted message.</param>
    public void AfterMessageDeleted(ReceivedMessage message) => _ = AfterMessageDeletedAsync(message);

    /// <summary>Waits for the deletes under way, so that a worker stopping does not cut them off.</summary>
    /// <returns>A task that completes when none is under way.</returns>
    public Task DrainAsync() => Task.WhenAll(_running.Keys);

    private async Task DeleteAsync(IPayloadStore payloads, PayloadReference reference, string messageId)
    {
        try
        {
            await payloads.DeleteAsync(reference.Bucket, reference.Key, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The task is done and its message deleted: a body left behind is the lifecycle rule's to remove.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.PayloadDeleteFailed(logger, ex, messageId, reference.ToString());
        }
    }
}
