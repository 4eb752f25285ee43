namespace TaskQueue;

/// <summary>
/// Runs held messages with FIFO order within each message group and parallelism across groups:
/// one message of a group at a time, in the order received, with at most a fixed number running in all.
/// A run tells what comes next (<see cref="NextStep"/>): the group's next message; the same message
/// again after a delay, its successors still held (a receive would count against each of them); or
/// nothing more, the later messages handed back for release so the group's order holds for the next receive.
/// </summary>
internal sealed class GroupSequencer(
    int maxConcurrent,
    Func<MessageLease, bool, Task<NextStep>> run,
    Func<IReadOnlyList<MessageLease>, Task> release,
    TimeProvider timeProvider) : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Queue<MessageLease>> _groups = new(StringComparer.Ordinal);
    private readonly List<Task> _chains = [];
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Adds received messages; groups not running yet start at once.</summary>
    public void Enqueue(IEnumerable<MessageLease> leases)
    {
        lock (_lock)
        {
            foreach (var lease in leases)
            {
                if (_groups.TryGetValue(lease.GroupKey, out var waiting))
                {
                    waiting.Enqueue(lease);
                    continue;
                }

                var queue = new Queue<MessageLease>();
                queue.Enqueue(lease);
                _groups.Add(lease.GroupKey, queue);
                _chains.RemoveAll(c => c.IsCompleted);
                _chains.Add(Task.Run(() => RunGroupAsync(lease.GroupKey, queue)));
            }
        }
    }

    /// <summary>Starts no further message: those waiting are handed back for release; running ones go on.</summary>
    public Task StopAsync() => _stopping.CancelAsync();

    /// <summary>Completes when no group has a message running or waiting.</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_chains.ToArray());
        }
    }

    private async Task RunGroupAsync(string groupKey, Queue<MessageLease> queue)
    {
        while (TryDequeue(groupKey, queue, out var lease))
        {
            var step = await RunUntilSettledAsync(lease, queue).ConfigureAwait(false);
            if (step is null)
            {
                await release([lease, .. TakeRest(groupKey, queue)]).ConfigureAwait(false);
                return;
            }

            if (step.Value.Kind == NextStepKind.Stop)
            {
                var rest = TakeRest(groupKey, queue);
                if (rest.Count > 0)
                {
                    await release(rest).ConfigureAwait(false);
                }

                return;
            }
        }
    }

    /// <summary>Runs the message, again after each retry delay, until it continues or stops the group; null once stopping.</summary>
    private async Task<NextStep?> RunUntilSettledAsync(MessageLease lease, Queue<MessageLease> queue)
    {
        while (await TryTakeSlotAsync().ConfigureAwait(false))
        {
            NextStep step;
            try
            {
                step = await run(lease, HasWaiting(queue)).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }

            if (step.Kind != NextStepKind.RetryAfter)
            {
                return step;
            }

            if (!await WaitAsync(step.RetryDelay).ConfigureAwait(false))
            {
                return null;
            }
        }

        return null;
    }

    private bool HasWaiting(Queue<MessageLease> queue)
    {
        lock (_lock)
        {
            return queue.Count > 0;
        }
    }

    /// <summary>Waits before a retry; false when the stop came first.</summary>
    private async Task<bool> WaitAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, timeProvider, _stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits for a free slot; false once stopping, even when a slot and the stop arrive together.</summary>
    private async Task<bool> TryTakeSlotAsync()
    {
        try
        {
            await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        if (_stopping.IsCancellationRequested)
        {
            _slots.Release();
            return false;
        }

        return true;
    }

    /// <summary>The group's next message; when there is none the group is removed, under the same lock that adds to it.</summary>
    private bool TryDequeue(string groupKey, Queue<MessageLease> queue, out MessageLease lease)
    {
        lock (_lock)
        {
            if (queue.TryDequeue(out lease!))
            {
                return true;
            }

            _groups.Remove(groupKey);
            return false;
        }
    }

    private List<MessageLease> TakeRest(string groupKey, Queue<MessageLease> queue)
    {
        lock (_lock)
        {
            var rest = queue.ToList();
            queue.Clear();
            _groups.Remove(groupKey);
            return rest;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _slots.Dispose();
        _stopping.Dispose();
    }
}
