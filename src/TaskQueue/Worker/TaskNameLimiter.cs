using System.Threading.RateLimiting;

namespace TaskQueue;

/// <summary>
/// The permits of one task name: a concurrency limiter and a token bucket, each first come, first served, so the
/// groups waiting for the name start in the order they began to wait. The bucket is refilled by <see cref="RefillAsync"/>
/// on the worker's clock (the limiters' own timers would run on real time).
/// </summary>
internal sealed class TaskNameLimiter : IDisposable
{
    /// <summary>Refills come at most this often: a high rate is refilled by several tokens at a time instead.</summary>
    private static readonly TimeSpan MinRefillInterval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrencyLimiter? _concurrency;
    private readonly TokenBucketRateLimiter? _rate;

    public TaskNameLimiter(TaskLimit limit)
    {
        if (limit.MaxConcurrency is { } concurrency)
        {
            _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = concurrency,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        if (limit.RateLimit is { } permits)
        {
            // Evenly over the period: k tokens every k/permits of it, with k large enough that refills are not too frequent.
            var tokensPerRefill = (int)Math.Clamp(Math.Ceiling(MinRefillInterval.Ticks * (double)permits / limit.RatePeriod.Ticks), 1, permits);
            RefillInterval = TimeSpan.FromTicks(Math.Max(1, limit.RatePeriod.Ticks * tokensPerRefill / permits));
            _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = permits,
                TokensPerPeriod = tokensPerRefill,
                ReplenishmentPeriod = RefillInterval,
                AutoReplenishment = false,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }
    }

    /// <summary>How often the bucket gets its tokens; zero without a rate limit.</summary>
    public TimeSpan RefillInterval { get; }

    /// <summary>Takes the name's permits if they are free now, without waiting; null when one of them is not.</summary>
    public IDisposable? TryAcquire()
    {
        var running = _concurrency?.AttemptAcquire();
        if (running is { IsAcquired: false })
        {
            running.Dispose();
            return null;
        }

        var started = _rate?.AttemptAcquire();
        if (started is { IsAcquired: false })
        {
            started.Dispose();
            running?.Dispose();
            return null;
        }

        return new Permits(running);
    }

    /// <summary>Waits for the name's permits: a running slot first, then a start token (held slots wait only for tokens).</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        var running = _concurrency is null ? null : await AcquireAsync(_concurrency, cancellationToken).ConfigureAwait(false);
        try
        {
            if (_rate is not null)
            {
                // A token is spent when taken: nothing to give back.
                (await AcquireAsync(_rate, cancellationToken).ConfigureAwait(false)).Dispose();
            }
        }
        catch
        {
            running?.Dispose();
            throw;
        }

        return new Permits(running);
    }

    /// <summary>Adds the tokens of each <see cref="RefillInterval"/> until cancelled.</summary>
    public async Task RefillAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (_rate is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(RefillInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                _rate.TryReplenish();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker has stopped: no task waits for a token any more.
        }
    }

    private static async Task<RateLimitLease> AcquireAsync(RateLimiter limiter, CancellationToken cancellationToken)
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
        _concurrency?.Dispose();
        _rate?.Dispose();
    }

    /// <summary>What a started task holds: its running slot, given back when its run ends.</summary>
    private sealed class Permits(RateLimitLease? running) : IDisposable
    {
        public void Dispose() => running?.Dispose();
    }
}
