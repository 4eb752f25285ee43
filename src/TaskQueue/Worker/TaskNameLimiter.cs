using System.Threading.RateLimiting;

namespace TaskQueue;

/// <summary>
/// The permits of one task name, each a first-come, first-served <see cref="ConcurrencyLimiter"/>, so the groups waiting
/// for the name start in the order they began to wait: one permit per running task, and for the rate limit one permit per
/// start, given back one period after that start. So at most the limit's starts fall in any window of one period, on the
/// worker's clock (the library's replenishing limiters count time on the system clock, which fake time cannot drive).
/// </summary>
internal sealed class TaskNameLimiter : IDisposable
{
    private readonly ConcurrencyLimiter? _running;
    private readonly ConcurrencyLimiter? _starts;
    private readonly TimeSpan _period;
    private readonly TimeProvider _time;
    private readonly HashSet<ITimer> _returns = [];

    public TaskNameLimiter(TaskLimit limit, TimeProvider timeProvider)
    {
        _running = limit.MaxConcurrency is { } concurrency ? FirstComeFirstServed(concurrency) : null;
        _starts = limit.RateLimit is { } permits ? FirstComeFirstServed(permits) : null;
        _period = limit.RatePeriod;
        _time = timeProvider;
    }

    /// <summary>Takes the name's permits if they are free now, without waiting; null when one of them is not.</summary>
    public IDisposable? TryAcquire()
    {
        var running = _running?.AttemptAcquire();
        if (running is { IsAcquired: false })
        {
            running.Dispose();
            return null;
        }

        var start = _starts?.AttemptAcquire();
        if (start is { IsAcquired: false })
        {
            start.Dispose();
            running?.Dispose();
            return null;
        }

        return Started(running, start);
    }

    /// <summary>Waits for the name's permits: a running slot first, then a start (a task holding a slot waits only for the rate).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled first.</exception>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        var running = _running is null ? null : await AcquireAsync(_running, cancellationToken).ConfigureAwait(false);
        try
        {
            var start = _starts is null ? null : await AcquireAsync(_starts, cancellationToken).ConfigureAwait(false);
            return Started(running, start);
        }
        catch
        {
            running?.Dispose();
            throw;
        }
    }

    /// <summary>The running slot is given back when the run ends; the start's permit one period after the start.</summary>
    private Permits Started(RateLimitLease? running, RateLimitLease? start)
    {
        if (start is not null)
        {
            lock (_returns)
            {
                ITimer? timer = null;
                timer = _time.CreateTimer(
                    _ =>
                    {
                        start.Dispose();
                        lock (_returns)
                        {
                            _returns.Remove(timer!);
                        }

                        timer!.Dispose();
                    },
                    null,
                    Timeout.InfiniteTimeSpan,
                    Timeout.InfiniteTimeSpan);
                _returns.Add(timer);
                timer.Change(_period, Timeout.InfiniteTimeSpan);
            }
        }

        return new Permits(running);
    }

    private static ConcurrencyLimiter FirstComeFirstServed(int permits) => new(new ConcurrencyLimiterOptions
    {
        PermitLimit = permits,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private static async Task<RateLimitLease> AcquireAsync(ConcurrencyLimiter limiter, CancellationToken cancellationToken)
    {
        // The queue is unbounded, so a lease is refused only by a limiter being disposed: then the worker is going away.
        var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new OperationCanceledException("The task name's limiter was disposed.");
        }

        return lease;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_returns)
        {
            foreach (var timer in _returns)
            {
                timer.Dispose();
            }

            _returns.Clear();
        }

        _running?.Dispose();
        _starts?.Dispose();
    }

    /// <summary>What a started task holds: its running slot, given back when its run ends.</summary>
    private sealed class Permits(RateLimitLease? running) : IDisposable
    {
        public void Dispose() => running?.Dispose();
    }
}
