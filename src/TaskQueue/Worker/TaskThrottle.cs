using Microsoft.Extensions.Logging;
using TaskQueue.Sqs;

namespace TaskQueue;

/// <summary>
/// Applies <see cref="TaskQueueWorkerOptions.TaskLimits"/> before a held message's run starts. The task name is the
/// message's <c>task_name</c> attribute, which TaskQueue producers write on every message, a stored body's pointer
/// included (the worker's receives ask for it when it has limits): the body is not read for it, nor fetched. When the
/// attribute and the body disagree (no TaskQueue producer writes that), the attribute names the limit: a limit is
/// applied before the body is at hand, and must treat a stored body as an inline one. A message without the attribute
/// (another producer) is named by its body, read for the name alone by the parser's rules; a body that names no task
/// (poison) and a name without a limit pass at once. A pointer without the attribute names no task until its body is
/// fetched, after the wait: it runs without a limit, which is logged once per worker.
/// A message that has to wait gives its receive slot back to the <see cref="CapacityGate"/> while it waits (up to the
/// gate's bound), so other task names keep being received; its message stays held, and extended by the heartbeat.
/// </summary>
internal sealed class TaskThrottle : IDisposable
{
    private readonly Dictionary<string, TaskNameLimiter> _limiters;
    private readonly CapacityGate _capacity;
    private readonly ILogger _logger;
    private int _unnamedPointerReported;

    public TaskThrottle(IReadOnlyDictionary<string, TaskLimit> limits, CapacityGate capacity, TimeProvider timeProvider, ILogger logger)
    {
        _limiters = limits.ToDictionary(l => l.Key, l => new TaskNameLimiter(l.Value, timeProvider), StringComparer.Ordinal);
        _capacity = capacity;
        _logger = logger;
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
        _limiters.Count > 0 && TaskNameOf(lease.Message) is { } taskName && _limiters.TryGetValue(taskName, out var limiter)
            ? limiter
            : null;

    /// <summary>The message's task name: its attribute, else its body's; null when neither names one.</summary>
    private string? TaskNameOf(ReceivedMessage message)
    {
        if (message.Attributes.GetValueOrDefault(WireFormat.TaskName) is { Length: > 0 } attribute)
        {
            return attribute;
        }

        if (TaskMessageParser.TryReadTaskName(message.Body, out var taskName))
        {
            return taskName;
        }

        ReportUnnamedPointer(message);
        return null;
    }

    /// <summary>Logs, the first time only, a stored body's pointer that names no task: limits cannot apply to such messages.</summary>
    private void ReportUnnamedPointer(ReceivedMessage message)
    {
        if (Volatile.Read(ref _unnamedPointerReported) == 0
            && PayloadPointer.TryRead(message, out var payload, out _) && payload is not null
            && Interlocked.Exchange(ref _unnamedPointerReported, 1) == 0)
        {
            Log.UnnamedPointerNotLimited(_logger, message.MessageId, payload.ToString());
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
