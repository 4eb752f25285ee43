namespace TaskQueue;

/// <summary>
/// Applies <see cref="TaskQueueWorkerOptions.TaskLimits"/> before a held message's run starts. The task name is the one
/// the handler will see (read from the body by the same parser); poison bodies and names without a limit pass at once.
/// A message that has to wait gives its receive slot back to the <see cref="CapacityGate"/> while it waits (up to the
/// gate's bound), so other task names keep being received; its message stays held, and extended by the heartbeat.
/// </summary>
internal sealed class TaskThrottle : IDisposable
{
    private readonly Dictionary<string, TaskNameLimiter> _limiters;
    private readonly CapacityGate _capacity;

    public TaskThrottle(IReadOnlyDictionary<string, TaskLimit> limits, CapacityGate capacity, TimeProvider timeProvider)
    {
        _limiters = limits.ToDictionary(l => l.Key, l => new TaskNameLimiter(l.Value, timeProvider), StringComparer.Ordinal);
        _capacity = capacity;
    }

    /// <summary>True when at least one task name is limited.</summary>
    public bool Any => _limiters.Count > 0;

    /// <summary>Waits for the permits of the message's task name.</summary>
    /// <returns>What to dispose when the run ends; null when nothing limits it.</returns>
    /// <exception cref="OperationCanceledException">The wait was cancelled (the worker stops, or a pause released its messages).</exception>
    public async Task<IDisposable?> AcquireAsync(MessageLease lease, CancellationToken cancellationToken)
    {
        // A run whose settling is tried again starts no handler: it needs no permit.
        if (lease.UnsettledResult is not null || LimiterOf(lease) is not { } limiter)
        {
            return null;
        }

        if (limiter.TryAcquire() is { } permits)
        {
            return permits;
        }

        var parked = _capacity.Park();
        try
        {
            return await limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (parked)
            {
                _capacity.Unpark();
            }
        }
    }

    private TaskNameLimiter? LimiterOf(MessageLease lease) =>
        _limiters.Count > 0 && TaskMessageParser.TryParse(lease.Message.Body, out var task, out _) && _limiters.TryGetValue(task.TaskName, out var limiter)
            ? limiter
            : null;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
