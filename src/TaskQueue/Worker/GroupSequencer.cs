namespace TaskQueue;

/// <summary>
/// Runs held messages with FIFO order within each message group and parallelism across groups:
/// one message of a group at a time, in the order received, with at most a fixed number running in all.
/// A run tells what comes next (<see cref="NextStep"/>): the group's next message; the same message
/// again after a delay, its successors still held (a receive would count against each of them); or
/// nothing more, the later messages handed back for release so the group's order holds for the next receive.
/// Before a run starts it waits, in this order, for the worker not to be paused, for its task name's permits (see
/// <see cref="TaskThrottle"/>) and for a run slot, so a throttled or paused group waits without holding a slot others need.
/// A pause that outlasts its bound releases the group's messages, as a stop does.
/// </summary>
internal sealed class GroupSequencer(
    int maxConcurrent,
    Func<MessageLease, bool, ValueTask<NextStep>> run,
    Func<IReadOnlyList<MessageLease>, Task> release,
    TimeProvider timeProvider,
    TaskThrottle? throttle = null,
    PauseGate? pause = null) : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Queue<MessageLease>> _groups = new(StringComparer.Ordinal);
    private readonly List<Task> _chains = [];

    /// <summary>Queues of groups that have ended, for new groups to take: most groups hold one message and end at once.</summary>
    private readonly Stack<Queue<MessageLease>> _spareQueues = new();
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Adds received messages; groups not running yet start at once.</summary>
    public void Enqueue(IReadOnlyList<MessageLease> leases)
    {
        lock (_lock)
        {
            // Indexed, not enumerated: an interface's enumerator would cost every receive an allocation.
            for (var i = 0; i < leases.Count; i++)
            {
                var lease = leases[i];
                if (_groups.TryGetValue(lease.GroupKey, out var waiting))
                {
                    waiting.Enqueue(lease);
                    continue;
                }

                var queue = _spareQueues.TryPop(out var spare) ? spare : new Queue<MessageLease>();
                queue.Enqueue(lease);
                _groups.Add(lease.GroupKey, queue);
                _chains.RemoveAll(c => c.IsCompleted);
                _chains.Add(RunGroupAsync(lease.GroupKey, queue));
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
        // Leaves the caller (a poller, holding the lock) at once: the group goes on on the thread pool, beside the others.
        await Task.Yield();
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

    /// <summary>Runs the message, again after each retry delay, until it continues or stops the group; null once stopping or released by a pause.</summary>
    private async ValueTask<NextStep?> RunUntilSettledAsync(MessageLease lease, Queue<MessageLease> queue)
    {
        while (true)
        {
            var started = default(Started);
            if (!CanStartNow())
            {
                if (await WaitToStartAsync(lease).ConfigureAwait(false) is not { } waited)
                {
                    return null;
                }

                started = waited;
            }

            NextStep step;
            try
            {
                step = await run(lease, HasWaiting(queue)).ConfigureAwait(false);
            }
            finally
            {
                started.Permits?.Dispose();
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
    }

    /// <summary>
    /// The common case, without a wait: no pause, no task-name limit, not stopping, and a run slot free. Then the slot is taken and nothing is
    /// allocated to wait with.
    /// </summary>
    private bool CanStartNow() =>
        throttle is null && pause is not { IsPaused: true } && !_stopping.IsCancellationRequested && _slots.Wait(0);

    /// <summary>Waits until the run may start (see <see cref="TryStartAsync"/>), watching the stop and a pause's release.</summary>
    private async ValueTask<Started?> WaitToStartAsync(MessageLease lease)
    {
        using var halt = Halt();
        return await TryStartAsync(lease, halt.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the run may start: not paused, the task name's permits and a run slot taken. A pause that came while it
    /// waited gives permits and slot back and waits again. Null when <paramref name="halt"/> came first.
    /// </summary>
    private async ValueTask<Started?> TryStartAsync(MessageLease lease, CancellationToken halt)
    {
        while (true)
        {
            IDisposable? permits = null;
            try
            {
                if (pause is not null)
                {
                    await pause.WhenResumedAsync(halt).ConfigureAwait(false);
                }

                if (throttle is not null)
                {
                    permits = await throttle.AcquireAsync(lease, halt).ConfigureAwait(false);
                }

                await _slots.WaitAsync(halt).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                permits?.Dispose();
                return null;
            }

            // A slot and the stop may arrive together; and a pause may have come while it waited.
            if (halt.IsCancellationRequested || pause is { IsPaused: true })
            {
                _slots.Release();
                permits?.Dispose();
                if (halt.IsCancellationRequested)
                {
                    return null;
                }

                continue;
            }

            return new Started(permits);
        }
    }

    private bool HasWaiting(Queue<MessageLease> queue)
    {
        lock (_lock)
        {
            return queue.Count > 0;
        }
    }

    /// <summary>Waits before a retry; false when the stop (or a pause's release) came first.</summary>
    private async Task<bool> WaitAsync(TimeSpan delay)
    {
        try
        {
            using var halt = Halt();
            await Task.Delay(delay, timeProvider, halt.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Signalled by the stop, or by a pause's release: what waits to start or to retry gives its message up.</summary>
    private CancellationTokenSource Halt() =>
        CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, pause?.ReleaseToken ?? CancellationToken.None);

    /// <summary>The group's next message; when there is none the group is removed, under the same lock that adds to it.</summary>
    private bool TryDequeue(string groupKey, Queue<MessageLease> queue, out MessageLease lease)
    {
        lock (_lock)
        {
            if (queue.TryDequeue(out lease!))
            {
                return true;
            }

            EndGroup(groupKey, queue);
            return false;
        }
    }

    private List<MessageLease> TakeRest(string groupKey, Queue<MessageLease> queue)
    {
        lock (_lock)
        {
            var rest = queue.ToList();
            queue.Clear();
            EndGroup(groupKey, queue);
            return rest;
        }
    }

    /// <summary>Removes the group, under the lock; its (empty) queue is kept for a new group, as many as may run at once.</summary>
    private void EndGroup(string groupKey, Queue<MessageLease> queue)
    {
        _groups.Remove(groupKey);
        if (_spareQueues.Count < maxConcurrent)
        {
            _spareQueues.Push(queue);
        }
    }

    /// <summary>A run allowed to start: it holds a run slot and, for a limited task name, the permits to give back after it.</summary>
    private readonly record struct Started(IDisposable? Permits);

    /// <inheritdoc />
    public void Dispose()
    {
        _slots.Dispose();
        _stopping.Dispose();
    }
}
