using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Moves dead letters back to the task queue on the client side: receives them from the DLQ page by
/// page, sends the matching ones to the task queue with their own message group and a deduplication
/// id made from their message id, and deletes each from the DLQ only after its send succeeded. A
/// crash between send and delete leaves the message in both queues, never in neither; a repeated
/// redrive within 5 minutes is deduplicated by SQS. Dead letters that do not match (and, on a dry run,
/// every one) are released at the end with visibility 0.
/// </summary>
/// <remarks>
/// SQS's own StartMessageMoveTask is not used: it moves every message of the DLQ with no filter,
/// lists nothing beforehand and counts asynchronously, and the SQS-compatible servers this library
/// is tested on (fauxqs, the in-memory SQS) do not have it.
/// </remarks>
internal sealed class DeadLetterRedriver(
    ISqsClient sqs, TaskQueueOptions options, DeadLetterQueueLocator deadLetterQueue, TimeProvider time, ILogger logger)
{
    private const string DeleteFailed = "DeleteFailed";

    // Deletes are flushed explicitly after each page's send, so the interval only lets a page's deletes share one call.
    private static readonly TimeSpan DeleteGathering = TimeSpan.FromMinutes(1);

    public async Task<RedriveResult> RedriveAsync(RedriveOptions redrive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redrive);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(redrive.MaxMessages);
        var dlqUrl = await deadLetterQueue.GetUrlAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"Queue {options.QueueUrl} has no dead-letter queue: set DeadLetterQueueUrl or give the queue a RedrivePolicy.");

        var deletes = new DeleteBatcher(sqs, dlqUrl, DeleteGathering, time, logger);
        var pages = new DeadLetterPages(sqs, dlqUrl, options.PeekVisibilityTimeout);
        var matched = new List<DeadLetterMessage>();
        var failed = new List<RedriveFailure>();
        var moved = 0;
        var skipped = 0;
        try
        {
            await foreach (var page in pages.ReadAsync(redrive.MaxMessages, cancellationToken).ConfigureAwait(false))
            {
                var receiptValidUntil = ReceiptDeadline.After(time, options.PeekVisibilityTimeout);
                var toMove = new List<(ReceivedMessage Message, DeadLetterMessage Letter)>();
                foreach (var message in page)
                {
                    var letter = DeadLetterPeeker.Describe(message);
                    if (!redrive.Matches(letter))
                    {
                        skipped++;
                        continue;
                    }

                    matched.Add(letter);
                    if (!redrive.DryRun)
                    {
                        toMove.Add((message, letter));
                    }
                }

                if (toMove.Count > 0)
                {
                    moved += await MoveAsync(toMove, deletes, receiptValidUntil, pages, failed, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Everything received and not moved (not matching, a dry run, a failed send) goes back at once.
            await VisibilityReleaser.ReleaseAsync(sqs, dlqUrl, pages.Held.Values, logger).ConfigureAwait(false);
        }

        Log.DeadLettersRedriven(logger, moved, matched.Count, skipped, failed.Count, redrive.DryRun);
        return new RedriveResult(redrive.DryRun, matched, moved, skipped, failed);
    }

    /// <summary>Sends one page of dead letters to the task queue, then deletes from the DLQ those whose send succeeded.</summary>
    /// <returns>How many are now in the task queue and gone from the DLQ.</returns>
    private async Task<int> MoveAsync(
        List<(ReceivedMessage Message, DeadLetterMessage Letter)> batch,
        DeleteBatcher deletes,
        ReceiptDeadline receiptValidUntil,
        DeadLetterPages pages,
        List<RedriveFailure> failed,
        CancellationToken cancellationToken)
    {
        var entries = BatchEntryIds.Entries(batch, static (m, id) => MessageCopy.Of(m.Message, id, DeduplicationId(m.Message)));
        var sent = await sqs.SendMessageBatchAsync(options.QueueUrl, entries, cancellationToken).ConfigureAwait(false);
        foreach (var failure in sent.Failed)
        {
            var letter = batch[BatchEntryIds.PositionOf(failure.Id)].Letter;
            Log.RedriveSendFailed(logger, letter.MessageId, failure.Code, failure.Message);
            failed.Add(new RedriveFailure(letter, failure.Code, failure.Message));
        }

        var sentMessages = sent.Successful.Select(s => batch[BatchEntryIds.PositionOf(s.Id)]).ToList();
        var deleting = sentMessages.Select(m => deletes.DeleteAsync(m.Message, receiptValidUntil)).ToList();
        await deletes.FlushAsync().ConfigureAwait(false);
        var deleted = await Task.WhenAll(deleting).ConfigureAwait(false);

        var moved = 0;
        for (var i = 0; i < sentMessages.Count; i++)
        {
            var (message, letter) = sentMessages[i];
            if (deleted[i])
            {
                pages.Forget(message.MessageId);
                moved++;
            }
            else
            {
                failed.Add(new RedriveFailure(
                    letter, DeleteFailed, "sent to the task queue but not deleted from the DLQ; a redrive within 5 minutes is deduplicated"));
            }
        }

        return moved;
    }

    /// <summary>The same for every move of one dead letter, so a move repeated after a crash between send and delete is deduplicated.</summary>
    private static string DeduplicationId(ReceivedMessage message) => SqsIdentifier.MakeSafe("redrive-" + message.MessageId);
}
