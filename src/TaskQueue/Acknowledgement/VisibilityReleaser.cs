using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>Makes received messages visible again at once (visibility 0), in ChangeMessageVisibilityBatch calls of up to 10.</summary>
internal static class VisibilityReleaser
{
    private const int MaxEntries = SqsLimits.MaxBatchEntries;

    /// <summary>Releases the messages; a failure is logged, never thrown: the message comes back when its visibility timeout ends anyway.</summary>
    /// <param name="sqs">The seam.</param>
    /// <param name="queueUrl">The queue that holds the messages.</param>
    /// <param name="messages">The messages to release.</param>
    /// <param name="logger">Where failures go.</param>
    /// <returns>A task that completes when every release was tried.</returns>
    public static async Task ReleaseAsync(ISqsClient sqs, string queueUrl, IReadOnlyCollection<ReceivedMessage> messages, ILogger logger)
    {
        foreach (var chunk in messages.Chunk(MaxEntries))
        {
            var entries = BatchEntryIds.Entries(chunk, static (m, id) => new VisibilityChangeEntry(id, m.ReceiptHandle, TimeSpan.Zero));
            try
            {
                // Releases run during shutdown and after cancelled peeks: they must not be cancelled themselves.
                var result = await sqs.ChangeMessageVisibilityBatchAsync(queueUrl, entries, CancellationToken.None).ConfigureAwait(false);
                foreach (var failure in result.Failed)
                {
                    Log.ReleaseFailed(logger, chunk[BatchEntryIds.PositionOf(failure.Id)].MessageId, failure.Code, failure.Message);
                }
            }
            catch (TaskQueueException ex)
            {
                Log.ReleaseBatchFailed(logger, ex, chunk.Length);
            }
        }
    }
}
