using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Keeps held messages hidden while they wait or run: when half of a message's visibility timeout is
/// left, it is extended by another full timeout (ChangeMessageVisibilityBatch, 10 at a time), never
/// past SQS's cap of 12 hours from the receive. Ending a lease waits for its extension under way,
/// so a message is never extended after it was acknowledged. A lease whose extension SQS refuses, or
/// whose visibility ran out (an outage longer than the time left), is lost: logged once, its run
/// cancelled, never extended again, until this worker receives the message again. All deadlines are on the monotonic clock.
/// </summary>
internal sealed class VisibilityHeartbeat(
    ISqsClient sqs, string queueUrl, TimeSpan visibilityTimeout, TimeProvider timeProvider, ILogger logger, CancellationToken workerCancellation)
{
    /// <summary>SQS's cap on a message's visibility, counted from its receive.</summary>
    public static readonly TimeSpan MaxTotalVisibility = SqsLimits.MaxVisibilityTimeout;

    private const int MaxEntries = SqsLimits.MaxBatchEntries;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MessageLease> _leases = new(StringComparer.Ordinal);

    /// <summary>
    /// How often due leases are looked for: an eighth of the timeout, between 100 ms and 30 s. A lease is due at half its
    /// timeout left and found within a period of that, so at least three eighths of the timeout remain for the extension to
    /// reach SQS through a late tick or a slow answer (a quarter period left only a quarter: 0.5 s of a 2 s timeout, which a
    /// busy machine's thread pool can miss). Looking costs no request.
    /// </summary>
    public TimeSpan Period { get; } = TimeSpan.FromTicks(Math.Clamp(visibilityTimeout.Ticks / 8, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>
    /// Starts holding a message just received with <c>visibilityTimeout</c>. When this worker already holds it (its
    /// visibility ran out, the lease may have been marked lost, and the same worker received it again), the held lease
    /// takes the newest receipt, holds again, and null is returned: the message is already waiting or running here and
    /// must not run twice.
    /// </summary>
    public MessageLease? Track(ReceivedMessage message)
    {
        var now = timeProvider.GetTimestamp();
        var visibleUntil = ReceiptDeadline.After(timeProvider, visibilityTimeout);
        lock (_lock)
        {
            if (_leases.TryGetValue(message.MessageId, out var held))
            {
                // Delivered to this worker, so no other holds it now: a lost lease holds again, with the newest receipt.
                held.Message = message;
                held.ReceivedAt = now;
                held.VisibleUntil = visibleUntil;
                held.Lost = false;
                Log.ReceivedAgainWhileHeld(logger, message.MessageId, message.ReceiveCount);
                return null;
            }

            var lease = new MessageLease(message, now, visibleUntil, workerCancellation);
            _leases.Add(message.MessageId, lease);
            return lease;
        }
    }

    /// <summary>Stops extending a lease, after any extension under way has ended.</summary>
    /// <returns>When the message's visibility ends (its receipt handle is good until then), and whether the lease was lost.</returns>
    public ValueTask<(ReceiptDeadline VisibleUntil, bool Lost)> EndAsync(MessageLease lease)
    {
        Task? extension;
        lock (_lock)
        {
            lease.Ended = true;
            Forget(lease);
            extension = lease.Extension;
            if (extension is null || extension.IsCompleted)
            {
                return new((lease.VisibleUntil, lease.Lost));
            }
        }

        return AfterExtensionAsync(lease, extension);
    }

    private async ValueTask<(ReceiptDeadline VisibleUntil, bool Lost)> AfterExtensionAsync(MessageLease lease, Task extension)
    {
        await extension.ConfigureAwait(false);
        lock (_lock)
        {
            return (lease.VisibleUntil, lease.Lost);
        }
    }

    /// <summary>
    /// Cancels the runs of every lease held, once the worker's token is cancelled (its shutdown gave up waiting): each lease
    /// has a token of its own, and a lease created after this starts cancelled.
    /// </summary>
    public void CancelRuns()
    {
        MessageLease[] held;
        lock (_lock)
        {
            held = [.. _leases.Values];
        }

        foreach (var lease in held)
        {
            lease.CancelRun();
        }
    }

    /// <summary>Holds an ended lease again, for a task retried under it while its successors wait.</summary>
    public void Resume(MessageLease lease)
    {
        lock (_lock)
        {
            lease.Ended = false;
            _leases[lease.Message.MessageId] = lease;
        }
    }

    /// <summary>Extends due leases every <see cref="Period"/> until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await ExtendDueAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the worker has ended or released every lease.
        }
    }

    /// <summary>
    /// Extends every lease with half its timeout or less left. A lease whose visibility ran out by this worker's clock (an
    /// outage, a lost answer, a late tick) is extended too: if SQS accepts, the message is still this worker's; if it
    /// refuses, or cannot be asked, the lease is lost.
    /// </summary>
    public async Task ExtendDueAsync()
    {
        var started = timeProvider.GetTimestamp();
        var due = new List<(MessageLease Lease, ReceivedMessage Message, TimeSpan Timeout)>();
        var expired = new List<MessageLease>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            foreach (var lease in _leases.Values)
            {
                if (lease.Lost)
                {
                    continue;
                }

                var left = lease.VisibleUntil.Remaining(timeProvider);
                if (left > visibilityTimeout / 2)
                {
                    continue;
                }

                var timeout = ExtensionFor(lease);
                if (timeout <= left || timeout <= TimeSpan.Zero)
                {
                    if (!lease.CapReported)
                    {
                        lease.CapReported = true;
                        Log.VisibilityCapReached(logger, lease.Message.MessageId);
                    }

                    if (left <= TimeSpan.Zero)
                    {
                        expired.Add(lease);
                    }

                    continue;
                }

                lease.Extension = done.Task;
                due.Add((lease, lease.Message, timeout));
            }
        }

        foreach (var lease in expired)
        {
            MarkLost(lease, lease.Message, "it reached the 12 hours SQS allows a message to stay hidden");
        }

        try
        {
            foreach (var chunk in due.Chunk(MaxEntries))
            {
                await ExtendAsync(chunk, started).ConfigureAwait(false);
            }
        }
        finally
        {
            done.SetResult();
        }
    }

    /// <summary>
    /// Asks SQS whether this worker still holds the message, by extending its visibility once: for a lease whose visibility
    /// ran out by this worker's clock (a late tick, a lost answer, an outage), or one marked lost, before anything is
    /// decided on it.
    /// </summary>
    public async Task<LeaseVerdict> AskAsync(MessageLease lease)
    {
        var timeout = ExtensionFor(lease);
        if (timeout <= TimeSpan.Zero)
        {
            MarkLost(lease, lease.Message, "it reached the 12 hours SQS allows a message to stay hidden");
            return LeaseVerdict.Lost;
        }

        bool ended;
        lock (_lock)
        {
            // An ended lease (its run over, its settling undecided) is asked about too; a refusal must still mark it.
            ended = lease.Ended;
            lease.Ended = false;
        }

        var answered = await ExtendAsync([(lease, lease.Message, timeout)], timeProvider.GetTimestamp()).ConfigureAwait(false);
        lock (_lock)
        {
            lease.Ended = ended;
            return !answered ? LeaseVerdict.Unknown : lease.Lost ? LeaseVerdict.Lost : LeaseVerdict.Held;
        }
    }

    /// <summary>
    /// Before a waiting message starts: whether this worker still holds it. A lease marked lost is asked about once more
    /// (it may have been received again by this worker, or only this worker's clock ran out); when SQS refuses, the lease
    /// ends here, so a receive that comes after starts a new one instead of reviving this.
    /// </summary>
    public async ValueTask<LeaseVerdict> HoldsAsync(MessageLease lease)
    {
        lock (_lock)
        {
            if (!lease.Lost)
            {
                return LeaseVerdict.Held;
            }
        }

        var verdict = await AskAsync(lease).ConfigureAwait(false);
        if (verdict == LeaseVerdict.Lost)
        {
            lock (_lock)
            {
                lease.Ended = true;
                Forget(lease);
            }
        }

        return verdict;
    }

    /// <summary>One ChangeMessageVisibilityBatch call; a refused entry marks its lease lost.</summary>
    /// <returns>False when SQS could not be asked: no verdict on any of the leases.</returns>
    private async Task<bool> ExtendAsync((MessageLease Lease, ReceivedMessage Message, TimeSpan Timeout)[] chunk, long started)
    {
        var entries = BatchEntryIds.Entries(chunk, static (d, id) => new VisibilityChangeEntry(id, d.Message.ReceiptHandle, d.Timeout));
        BatchResult result;
        try
        {
            result = await sqs.ChangeMessageVisibilityBatchAsync(queueUrl, entries, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TaskQueueException ex)
        {
            // No verdict: the next tick asks again, and only SQS refusing the receipt makes a lease lost. While this worker
            // holds the messages behind one whose visibility ran out, SQS hands that one to no other worker anyway.
            Log.HeartbeatFailed(logger, ex, chunk.Length);
            return false;
        }

        lock (_lock)
        {
            foreach (var id in result.SuccessfulIds)
            {
                var (lease, message, timeout) = chunk[BatchEntryIds.PositionOf(id)];
                if (ReferenceEquals(lease.Message, message))
                {
                    // Counted from before the call: SQS started the new timeout no earlier than that. SQS accepting the
                    // receipt means no other worker holds the message: a lease marked lost holds again.
                    lease.VisibleUntil = ReceiptDeadline.From(timeProvider, started, timeout);
                    lease.Lost = false;
                }
            }
        }

        foreach (var failure in result.Failed)
        {
            var (lease, message, _) = chunk[BatchEntryIds.PositionOf(failure.Id)];
            MarkLost(lease, message, $"SQS refused to extend it ({failure.Code}: {failure.Message})");
        }

        Log.VisibilityExtended(logger, result.SuccessfulIds.Count);
        return true;
    }

    /// <summary>
    /// The lease of <paramref name="message"/> is gone: logged once, never extended again, its run cancelled. A lease that
    /// has taken a newer receipt since (received again) or has ended is not touched.
    /// </summary>
    private void MarkLost(MessageLease lease, ReceivedMessage message, string reason)
    {
        lock (_lock)
        {
            if (lease.Lost || lease.Ended || !ReferenceEquals(lease.Message, message))
            {
                return;
            }

            // Kept in the map, never extended: if this worker receives the message again, the lease holds again.
            lease.Lost = true;
        }

        Log.LeaseLost(logger, message.MessageId, reason);
        lease.CancelRun();
    }

    /// <summary>Removes the lease from those extended, unless the map already holds a newer one of the same message.</summary>
    private void Forget(MessageLease lease)
    {
        if (_leases.TryGetValue(lease.Message.MessageId, out var held) && ReferenceEquals(held, lease))
        {
            _leases.Remove(lease.Message.MessageId);
        }
    }

    /// <summary>The visibility to ask for now: a full timeout, in whole seconds as SQS takes them, within the 12 hours SQS counts from the receive.</summary>
    private TimeSpan ExtensionFor(MessageLease lease) =>
        TimeSpan.FromSeconds(Math.Floor(Min(visibilityTimeout, MaxTotalVisibility - timeProvider.GetElapsedTime(lease.ReceivedAt)).TotalSeconds));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
