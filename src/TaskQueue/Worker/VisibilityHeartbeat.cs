using System.Globalization;
using Microsoft.Extensions.Logging;
using TaskQueue.Logging;
using TaskQueue.Sqs;

namespace TaskQueue.Worker;

/// <summary>
/// Keeps held messages hidden while they wait or run: when half of a message's visibility timeout is
/// left, it is extended by another full timeout (ChangeMessageVisibilityBatch, 10 at a time), never
/// past SQS's cap of 12 hours from the receive. Ending a lease waits for its extension under way,
/// so a message is never extended after it was acknowledged.
/// </summary>
internal sealed class VisibilityHeartbeat(ISqsClient sqs, string queueUrl, TimeSpan visibilityTimeout, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>SQS's cap on a message's visibility, counted from its receive.</summary>
    public static readonly TimeSpan MaxTotalVisibility = TimeSpan.FromHours(12);

    private const int MaxEntries = 10;
    private readonly object _lock = new();
    private readonly HashSet<MessageLease> _leases = [];

    /// <summary>How often due leases are looked for: a quarter of the timeout, between 100 ms and 30 s.</summary>
    public TimeSpan Period { get; } = TimeSpan.FromTicks(Math.Clamp(visibilityTimeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>Starts holding a message just received with <c>visibilityTimeout</c>.</summary>
    public MessageLease Track(ReceivedMessage message)
    {
        var now = timeProvider.GetUtcNow();
        var lease = new MessageLease(message, now, now + visibilityTimeout);
        lock (_lock)
        {
            _leases.Add(lease);
        }

        return lease;
    }

    /// <summary>Stops extending a lease, after any extension under way has ended.</summary>
    /// <returns>When the message's visibility ends: its receipt handle is good until then.</returns>
    public async Task<DateTimeOffset> EndAsync(MessageLease lease)
    {
        Task? extension;
        lock (_lock)
        {
            lease.Ended = true;
            _leases.Remove(lease);
            extension = lease.Extension;
        }

        if (extension is not null)
        {
            await extension.ConfigureAwait(false);
        }

        lock (_lock)
        {
            return lease.VisibleUntil;
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

    /// <summary>Extends every lease with half its timeout or less left.</summary>
    public async Task ExtendDueAsync()
    {
        var now = timeProvider.GetUtcNow();
        var due = new List<(MessageLease Lease, TimeSpan Timeout)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            foreach (var lease in _leases)
            {
                if (lease.VisibleUntil - now > visibilityTimeout / 2)
                {
                    continue;
                }

                var timeout = Min(visibilityTimeout, MaxTotalVisibility - (now - lease.ReceivedAt));
                if (timeout <= lease.VisibleUntil - now)
                {
                    if (!lease.CapReported)
                    {
                        lease.CapReported = true;
                        Log.VisibilityCapReached(logger, lease.Message.MessageId);
                    }

                    continue;
                }

                lease.Extension = done.Task;
                due.Add((lease, TimeSpan.FromSeconds(Math.Floor(timeout.TotalSeconds))));
            }
        }

        try
        {
            foreach (var chunk in due.Chunk(MaxEntries))
            {
                await ExtendAsync(chunk, now).ConfigureAwait(false);
            }
        }
        finally
        {
            done.SetResult();
        }
    }

    private async Task ExtendAsync((MessageLease Lease, TimeSpan Timeout)[] chunk, DateTimeOffset now)
    {
        var entries = chunk
            .Select((d, i) => new VisibilityChangeEntry(i.ToString(CultureInfo.InvariantCulture), d.Lease.Message.ReceiptHandle, d.Timeout))
            .ToList();
        BatchResult result;
        try
        {
            result = await sqs.ChangeMessageVisibilityBatchAsync(queueUrl, entries, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TaskQueueException ex)
        {
            Log.HeartbeatFailed(logger, ex, chunk.Length);
            return;
        }

        lock (_lock)
        {
            foreach (var id in result.SuccessfulIds)
            {
                var (lease, timeout) = chunk[int.Parse(id, CultureInfo.InvariantCulture)];
                lease.VisibleUntil = now + timeout;
            }
        }

        foreach (var failure in result.Failed)
        {
            Log.HeartbeatRejected(logger, chunk[int.Parse(failure.Id, CultureInfo.InvariantCulture)].Lease.Message.MessageId, failure.Code, failure.Message);
        }

        Log.VisibilityExtended(logger, result.SuccessfulIds.Count);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
