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
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>Groups that have ended, for new groups to take: most groups hold one message and end at once.</summary>
    private readonly Stack<Group> _spareGroups = new();

    /// <summary>Groups started and not yet ended, under the lock; <see cref="_idle"/> completes when it comes to zero.</summary>
    private int _running;
    private TaskCompletionSource? _idle;
    private List<Exception>? _faults;
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
                if (_groups.TryGetValue(lease.GroupKey, out var running))
                {
                    running.Waiting.Enqueue(lease);
                    continue;
                }

                var group = _spareGroups.TryPop(out var spare) ? spare : new Group(this);
                group.Waiting.Enqueue(lease);
                _groups.Add(lease.GroupKey, group);
                _running++;
                group.Start(lease.GroupKey);
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
            if (_running > 0)
            {
                return (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            return _faults is null ? Task.CompletedTask : Task.FromException(new AggregateException(_faults));
        }
    }

    /// <summary>
    /// Runs the group's messages until it ends. Called on the thread pool (see <see cref="Group"/>): with a handler that
    /// completes at once, the run completes before it returns and no state machine is kept for it.
    /// </summary>
    private async Task RunGroupAsync(string groupKey, Queue<MessageLease> queue)
    {
        try
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
#pragma warning disable CA1031 // Nothing awaits a group's run: what it throws is kept for WhenIdleAsync to throw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_lock)
            {
                (_faults ??= []).Add(ex);
            }
        }
        finally
        {
            GroupEnded();
        }
    }

    private void GroupEnded()
    {
        lock (_lock)
        {
            if (--_running > 0 || _idle is not { } idle)
            {
                return;
            }

            _idle = null;
            if (_faults is null)
            {
                idle.SetResult();
            }
            else
            {
                idle.SetException(_faults);
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

            EndGroup(groupKey);
            return false;
        }
    }

    private List<MessageLease> TakeRest(string groupKey, Queue<MessageLease> queue)
    {
        lock (_lock)
        {
            var rest = queue.ToList();
            queue.Clear();
            EndGroup(groupKey);
            return rest;
        }
    }

    /// <summary>
    /// Removes the group, under the lock; it is kept (its queue empty) for a new group, as many as may run at once. Its run
    /// reads nothing of it after this.
    /// </summary>
    private void EndGroup(string groupKey)
    {
        if (_groups.Remove(groupKey, out var group) && _spareGroups.Count < maxConcurrent)
        {
            _spareGroups.Push(group);
        }
    }

    /// <summary>A run allowed to start: it holds a run slot and, for a limited task name, the permits to give back after it.</summary>
    private readonly record struct Started(IDisposable? Permits);

    /// <summary>
    /// A group's waiting messages, and the work item that starts its run on the thread pool: the poller that received the
    /// messages (holding the lock) goes on at once, and the group runs beside the others, in the poller's execution
    /// context as an awaited yield would run it. Reused by later groups once it ends.
    /// </summary>
    private sealed class Group(GroupSequencer sequencer) : IThreadPoolWorkItem
    {
        private string _key = string.Empty;
        private ExecutionContext? _context;

        public Queue<MessageLease> Waiting { get; } = new();

        /// <summary>Starts the run of the group named <paramref name="key"/>; under the sequencer's lock.</summary>
        public void Start(string key)
        {
            _key = key;
            _context = ExecutionContext.Capture();
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        public void Execute()
        {
            if (_context is { } context)
            {
                _context = null;
                ExecutionContext.Run(context, static group => ((Group)group!).Run(), this);
            }
            else
            {
                Run();
            }
        }

        // The key and queue are read before the run starts: once it ends, a new group may take this object.
        private void Run() => _ = sequencer.RunGroupAsync(_key, Waiting);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _slots.Dispose();
        _stopping.Dispose();
    }
}
